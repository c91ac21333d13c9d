#!/usr/bin/python3
"""Reference side of the FH benchmark (run by bench/fh/run.sh with Debian's /usr/bin/python3).

Writes deterministic inputs to OUTDIR/img/*.png (synthetic photo-like images at 224 px short side and 640 px long
side; with --system-photos also a few of skimage's bundled sample photos, resized, never committed), times
skimage.segmentation.felzenszwalb on exactly those arrays (median of --repeat runs after one warm-up), and writes
OUTDIR/skimage/<image>__s<scale>.u32 (raw little-endian uint32 labels) plus OUTDIR/skimage_times.csv.
"""
import argparse
import os
import time

import numpy as np
from PIL import Image

SCALES = [500, 1000, 1500]


def to_u8(a):
    return np.clip(np.rint(a), 0, 255).astype(np.uint8)


def photo_like(rng, h, w):
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    gy, gx = y / (h - 1), x / (w - 1)
    img = np.dstack([60 + 120 * gx, 80 + 90 * gy, 140 - 60 * gx * gy])
    for _ in range(30):
        col = rng.uniform(0, 255, 3)
        if rng.random() < 0.5:
            cy, cx, r = rng.uniform(0, h), rng.uniform(0, w), rng.uniform(0.03, 0.3) * max(h, w)
            m = (y - cy) ** 2 + (x - cx) ** 2 < r * r
        else:
            y0, x0 = rng.uniform(0, h), rng.uniform(0, w)
            m = (y >= y0) & (y < y0 + rng.uniform(0.05, 0.5) * h) & (x >= x0) & (x < x0 + rng.uniform(0.05, 0.5) * w)
        shade = (1 + 0.15 * np.sin(x / rng.uniform(3, 20)) * np.cos(y / rng.uniform(3, 20)))[m][:, None]
        img[m] = 0.85 * col * shade + 0.15 * img[m]
    img += rng.normal(0, 4, img.shape)
    return to_u8(img)


def resize_to(img, short=None, long=None):
    h, w = img.shape[:2]
    s = short / min(h, w) if short else long / max(h, w)
    nw, nh = max(1, round(w * s)), max(1, round(h * s))
    return np.asarray(Image.fromarray(img).resize((nw, nh), Image.BILINEAR))


def inputs(system_photos):
    rng = np.random.default_rng(7)
    for i in range(3):
        base = photo_like(rng, 480, 640)
        yield f'synth{i}_l640', base
        yield f'synth{i}_s224', resize_to(base, short=224)
    if system_photos:
        import skimage.data as d
        for name in ['astronaut', 'coffee', 'chelsea', 'rocket']:
            try:
                img = getattr(d, name)()
            except Exception:
                continue
            yield f'{name}_l640', resize_to(img, long=640)
            yield f'{name}_s224', resize_to(img, short=224)


def main():
    # imported here: photo_like (bench/masks/make_images.py, the session-cluster check in .ci/run) needs only numpy
    from skimage.segmentation import felzenszwalb

    ap = argparse.ArgumentParser()
    ap.add_argument('outdir')
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--system-photos', action='store_true')
    a = ap.parse_args()
    os.makedirs(os.path.join(a.outdir, 'img'), exist_ok=True)
    os.makedirs(os.path.join(a.outdir, 'skimage'), exist_ok=True)
    rows = ['image,width,height,scale,skimage_ms,skimage_cpu_ms,segments']
    for name, img in inputs(a.system_photos):
        Image.fromarray(img).save(os.path.join(a.outdir, 'img', name + '.png'))
        h, w = img.shape[:2]
        for scale in SCALES:
            felzenszwalb(img, scale=scale, sigma=0.8, min_size=scale)  # warm-up
            times, cpu = [], []
            for _ in range(a.repeat):
                t, c = time.perf_counter(), time.process_time()
                seg = felzenszwalb(img, scale=scale, sigma=0.8, min_size=scale)
                times.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
            seg.astype('<u4').tofile(os.path.join(a.outdir, 'skimage', f'{name}__s{scale}.u32'))
            rows.append(f'{name},{w},{h},{scale},{np.median(times):.3f},{np.median(cpu):.3f},{int(seg.max()) + 1}')
            print(rows[-1], flush=True)
    with open(os.path.join(a.outdir, 'skimage_times.csv'), 'w') as f:
        f.write('\n'.join(rows) + '\n')


if __name__ == '__main__':
    main()
