#!/usr/bin/python3
"""The scikit-image side of the per-size photo comparison in bench/fh/run.sh: what `detcon masks fh` does, in one
Python process on one thread: every PNG of IN (sorted) decoded with PIL, skimage.segmentation.felzenszwalb (sigma
0.8, min_size = scale), the labels written as 16-bit PNGs to OUT. Prints one line per image with the CPU ms of the
felzenszwalb call alone (time.process_time), then a summary line. Run it under /usr/bin/time for the whole-process
CPU time (interpreter start and imports included, as the Java side includes the JVM's).

Usage: skimage_folder.py IN OUT SCALE
"""
import os
import sys
import time

import numpy as np
from PIL import Image
from skimage.segmentation import felzenszwalb


def main():
    src, dst, scale = sys.argv[1], sys.argv[2], float(sys.argv[3])
    os.makedirs(dst, exist_ok=True)
    total = 0.0
    n = 0
    for name in sorted(os.listdir(src)):
        if not name.endswith('.png'):
            continue
        img = np.asarray(Image.open(os.path.join(src, name)).convert('RGB'))
        t = time.process_time()
        labels = felzenszwalb(img, scale=scale, sigma=0.8, min_size=int(scale))
        ms = (time.process_time() - t) * 1000
        Image.fromarray(labels.astype(np.uint16)).save(os.path.join(dst, name))
        total += ms
        n += 1
        print('IMAGE %s %dx%d fh_cpu_ms=%.1f segments=%d' % (name, img.shape[1], img.shape[0], ms, labels.max() + 1),
              flush=True)
    print('SUMMARY images=%d fh_cpu_ms=%.1f' % (n, total))


if __name__ == '__main__':
    main()
