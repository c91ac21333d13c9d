#!/usr/bin/python3
"""Summarises bench/masks/run.sh's RESULT lines into a table and the ImageNet projection."""
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


def main():
    rows = parse(sys.argv[1])
    print(f'{"setup":<34} {"masks":<22} {"images":>6} {"img/s":>8} {"img/s/core":>10} {"ms/img/core":>11}')
    for r in rows:
        mode = r['mode']
        if mode == 'library':
            setup = 'FH library, 1 thread (no Beam)'
            masks = '+'.join(k[:-3] for k in r if k.startswith('fh-s') and k.endswith('_ms'))
            ips = float(r['images_per_s'])
            per_core = ips
        elif mode.startswith('pipeline'):
            setup = ('Flink fixed cost, 2 images' if mode.endswith('fixed-cost')
                     else f'Beam on embedded Flink, p={r["parallelism"]}')
            masks = r['masks']
            ips = float(r['images_per_s'])
            per_core = float(r['images_per_s_per_core'])
        else:
            setup = f'Python skimage, {r["processes"]} proc'
            masks = r['masks']
            ips = float(r['images_per_s'])
            per_core = float(r['images_per_s_per_core'])
        print(f'{setup:<34} {masks:<22} {r["images"]:>6} {ips:>8.2f} {per_core:>10.2f} {1000 / per_core:>11.1f}')
        if mode == 'library':
            detail = ' '.join(f'{k}={v}' for k, v in r.items() if k.endswith('_ms'))
            print(f'{"":<34}   per image: {detail}')
    print()
    need = IMAGENET / (GOAL_H * 3600) / CORES
    print(f'ImageNet goal: {IMAGENET} images, FH scale 1000, < {GOAL_H:.0f} h on {CORES} cores '
          f'= {need:.1f} images/s per core incl. I/O')
    fixed = next((float(r['wall_s']) for r in rows if r['mode'] == 'pipeline-fixed-cost'), 0.0)
    if fixed:
        print(f'  fixed cost of one embedded-Flink job (mini-cluster start, 2 images, manifest): {fixed:.1f} s')
    for r in rows:
        if r['mode'] == 'pipeline':
            n, wall, p = int(r['images']), float(r['wall_s']), int(r['parallelism'])
            steady = n / max(wall - fixed, 1e-9) / p
            print(f'  Beam/Flink {r["masks"]} p={p}: steady state {steady:.2f} img/s/core '
                  f'(end to end incl. start-up {float(r["images_per_s_per_core"]):.2f})')
    for r in rows:
        if r['mode'] == 'pipeline' and r['masks'] == 'fh:1000':
            n, wall, p = int(r['images']), float(r['wall_s']), int(r['parallelism'])
            pc = n / max(wall - fixed, 1e-9) / p
            hours = IMAGENET / (pc * CORES) / 3600
            print(f'  Beam/Flink p={p}, FH 1000: {pc:.2f} img/s/core -> {hours:.2f} h for ImageNet on {CORES} cores '
                  f'({"meets" if pc >= need else "misses"} the goal; start-up is negligible at that size)')
        if r['mode'] == 'library' and 'fh-s1000_ms' in r and 'fh-s500_ms' not in r:
            pc = float(r['images_per_s'])
            print(f'  FH library alone: {pc:.2f} img/s/core -> {IMAGENET / (pc * CORES) / 3600:.2f} h (upper bound)')
        if r['mode'] == 'python' and r['masks'] == 'fh:1000':
            pc = float(r['images_per_s_per_core'])
            print(f'  Python skimage, {r["processes"]} proc: {pc:.2f} img/s/core -> '
                  f'{IMAGENET / (pc * CORES) / 3600:.2f} h on {CORES} cores')


if __name__ == '__main__':
    main()
