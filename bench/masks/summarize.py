#!/usr/bin/python3
"""Summarises bench/masks/run.sh's RESULT lines: a table (wall-clock and CPU rates) and the ImageNet projection."""
import sys

IMAGENET = 1_280_000
CORES = 16
GOAL_H = 2.0


def parse(path):
    rows = []
    for line in open(path):
        if line.startswith('RESULT '):
            rows.append(dict(kv.split('=', 1) for kv in line.split()[1:]))
    return rows


def setup_of(r):
    mode = r['mode']
    if mode == 'library':
        return 'FH library, 1 thread (no Beam)'
    if mode == 'pipeline-fixed-cost':
        return 'embedded Flink fixed cost, 2 img'
    if mode == 'pipeline':
        return f'Beam on embedded Flink, p={r["parallelism"]}'
    if mode == 'session-fixed-cost':
        return 'session cluster fixed cost, 2 img'
    if mode == 'session':
        return f'Beam on session cluster, p={r["parallelism"]}'
    return f'Python skimage, {r["processes"]} proc'


def cpu_of(r):
    """CPU seconds of the work: the TaskManager's for a session cluster, else the measuring process's."""
    if 'tm_cpu_s' in r:
        return float(r['tm_cpu_s'])
    if 'cpu_s' in r:
        return float(r['cpu_s'])
    if r['mode'] == 'library':
        return float(r['total_ms']) * int(r['images']) / 1000
    return None


def main():
    rows = parse(sys.argv[1])
    print(f'{"setup":<35} {"masks":<21} {"images":>6} {"img/s":>7} {"img/s/core":>10} {"CPU ms/img":>10} '
          f'{"img/CPU-s":>9}')
    for r in rows:
        masks = r.get('masks') or '+'.join(k[:-3] for k in r if k.startswith('fh-s') and k.endswith('_ms'))
        n = int(r['images'])
        ips = float(r['images_per_s'])
        per_core = ips if r['mode'] == 'library' else float(r['images_per_s_per_core'])
        cpu = cpu_of(r)
        cpu_cols = f'{1000 * cpu / n:>10.1f} {n / cpu:>9.2f}' if cpu else f'{"":>10} {"":>9}'
        print(f'{setup_of(r):<35} {masks:<21} {n:>6} {ips:>7.2f} {per_core:>10.2f} {cpu_cols}')
        if r['mode'] == 'library':
            detail = ' '.join(f'{k}={v}' for k, v in r.items() if k.endswith('_ms'))
            print(f'{"":<35}   per image: {detail}')
    print()
    need = IMAGENET / (GOAL_H * 3600) / CORES
    print(f'ImageNet goal: {IMAGENET} images, FH scale 1000, < {GOAL_H:.0f} h on {CORES} cores '
          f'= {need:.1f} images/s per core incl. I/O')
    for kind, fixed_mode in (('pipeline', 'pipeline-fixed-cost'), ('session', 'session-fixed-cost')):
        fixed = next((r for r in rows if r['mode'] == fixed_mode), None)
        for r in rows:
            if r['mode'] != kind:
                continue
            n, wall, p = int(r['images']), float(r['wall_s']), int(r['parallelism'])
            # a busy machine can make the fixed-cost run slower than a whole run: then there is no steady state
            steady = n / (wall - float(fixed['wall_s'])) / p if fixed and wall > float(fixed['wall_s']) else None
            # embedded: a fresh JVM per run, so the fixed-cost run's CPU (start-up, JIT) is subtracted; session: the
            # TaskManager was warmed by the fixed-cost job and its CPU counts the job alone
            cpu = cpu_of(r) - (cpu_of(fixed) if kind == 'pipeline' and fixed and cpu_of(fixed) else 0)
            line = f'  {setup_of(r)}, {r["masks"]}:'
            if fixed:
                line += f' steady state (minus the {float(fixed["wall_s"]):.1f} s fixed cost) ' + (
                    f'{steady:.2f} img/s/core' if steady else 'n/a (the run took less than the fixed-cost run)')
            line += f'; {n / cpu:.2f} img per CPU-second' if cpu > 0 else ''
            print(line)
            if r['masks'] == 'fh:1000' and cpu > 0:
                rate = n / cpu
                print(f'    ImageNet FH 1000 projection from the CPU rate (one core = one CPU-second per second): '
                      f'{IMAGENET / (rate * CORES) / 3600:.2f} h on {CORES} cores '
                      f'({"meets" if rate >= need else "misses"} the goal; a projection, not a 16-core measurement)')
    for r in rows:
        if r['mode'] == 'library' and 'fh-s1000_ms' in r and 'fh-s500_ms' not in r:
            pc = float(r['images_per_s'])
            print(f'  FH library alone: {pc:.2f} img/s/core -> {IMAGENET / (pc * CORES) / 3600:.2f} h (upper bound)')
        if r['mode'] == 'python' and r['masks'] == 'fh:1000' and r['processes'] == '1':
            pc = float(r['images_per_s_per_core'])
            print(f'  Python skimage, 1 proc: {pc:.2f} img/s/core -> {IMAGENET / (pc * CORES) / 3600:.2f} h on '
                  f'{CORES} cores')


if __name__ == '__main__':
    main()
