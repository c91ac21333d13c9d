#!/usr/bin/python3
"""Writes N deterministic photo-like JPEGs (ImageNet-typical 500x375 / 375x500, quality 90) to OUTDIR.

Uses the generator of bench/fh/skimage_fh.py (smooth gradients, 30 shaded shapes, sensor noise).
Usage: make_images.py OUTDIR N
"""
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fh'))
from skimage_fh import photo_like  # noqa: E402


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(11)
    for i in range(n):
        h, w = (375, 500) if i % 4 else (500, 375)
        Image.fromarray(photo_like(rng, h, w)).save(os.path.join(out, f'img{i:05d}.jpg'), quality=90)


if __name__ == '__main__':
    main()
