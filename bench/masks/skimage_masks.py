#!/usr/bin/python3
"""Python equivalent of the mask pipeline, for bench/masks/run.sh (Debian's /usr/bin/python3, skimage 0.19).

Per image, in a pool of worker processes (one per core by default): read the JPEG, decode to RGB with PIL,
skimage.segmentation.felzenszwalb at each scale (sigma 0.8, min_size = scale), encode each label map as a 16-bit
PNG (PIL), and return the sample; the parent writes WebDataset-style tar shards (KEY.jpg, KEY.json,
KEY.fh-sS.png). Prints one RESULT line with images/s end to end (pool start included).
Usage: skimage_masks.py IMGDIR OUTDIR PROCESSES SCALE[,SCALE...]
"""
import io
import json
import multiprocessing as mp
import os
import resource
import sys
import tarfile
import time

import numpy as np
from PIL import Image
from skimage.segmentation import felzenszwalb

SCALES = []


def work(path):
    with open(path, 'rb') as f:
        data = f.read()
    img = np.asarray(Image.open(io.BytesIO(data)).convert('RGB'))
    h, w = img.shape[:2]
    key = os.path.splitext(os.path.basename(path))[0]
    files = {key + '.jpg': data}
    meta = {'width': w, 'height': h, 'source': path, 'masks': {}}
    for s in SCALES:
        labels = felzenszwalb(img, scale=s, sigma=0.8, min_size=s)
        buf = io.BytesIO()
        Image.fromarray(labels.astype(np.uint16)).save(buf, format='PNG')
        files[f'{key}.fh-s{s}.png'] = buf.getvalue()
        meta['masks'][f'fh-s{s}'] = {'segments': int(labels.max()) + 1}
    files[key + '.json'] = json.dumps(meta, sort_keys=True).encode()
    return key, files


def init(scales):
    SCALES[:] = scales


def main():
    imgdir, outdir, procs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    scales = [int(s) for s in sys.argv[4].split(',')]
    paths = sorted(os.path.join(imgdir, p) for p in os.listdir(imgdir) if p.endswith('.jpg'))
    os.makedirs(outdir, exist_ok=True)
    t0 = time.perf_counter()
    n = 0
    with mp.Pool(procs, initializer=init, initargs=(scales,)) as pool, \
            tarfile.open(os.path.join(outdir, 'shard-000000.tar'), 'w', format=tarfile.USTAR_FORMAT) as tar:
        for key, files in pool.imap(work, paths, chunksize=1):
            for name in sorted(files):
                ti = tarfile.TarInfo(name)
                ti.size = len(files[name])
                tar.addfile(ti, io.BytesIO(files[name]))
            n += 1
    wall = time.perf_counter() - t0
    cpu = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for f in ('ru_utime', 'ru_stime'))
    print(f'RESULT mode=python processes={procs} masks={"+".join("fh:%d" % s for s in scales)} images={n} '
          f'wall_s={wall:.2f} images_per_s={n / wall:.3f} images_per_s_per_core={n / wall / procs:.3f} cpu_s={cpu:.2f}')


if __name__ == '__main__':
    main()
