#!/usr/bin/env python3
"""Writes the PIL-made label-map PNG fixtures that LabelMapPngTest reads (run with Debian's /usr/bin/python3,
which has numpy and PIL):  /usr/bin/python3 tools/interop/make_labelmap_fixtures.py core/src/test/resources/labelmap

Pixel values follow formulas that the Java test recomputes (i = y * W + x, W x H = 37 x 13):
  pil_u16.png      16-bit gray   (i * 40503) % 65536, last pixel 65535
  pil_gray8.png    8-bit gray    (i * 7) % 256
  pil_palette.png  palette (P)   (i * 3) % 21, last pixel 255 (VOC's "void"), VOC colour palette
"""
import os
import sys

import numpy as np
from PIL import Image

W, H = 37, 13


def voc_palette():
    pal = []
    for i in range(256):
        r = g = b = 0
        c = i
        for j in range(8):
            r |= ((c >> 0) & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        pal += [r, g, b]
    return pal


def main(out):
    os.makedirs(out, exist_ok=True)
    i = np.arange(W * H, dtype=np.int64)
    u16 = (i * 40503) % 65536
    u16[-1] = 65535
    Image.fromarray(u16.reshape(H, W).astype(np.uint16)).save(os.path.join(out, "pil_u16.png"))
    g8 = (i * 7) % 256
    Image.fromarray(g8.reshape(H, W).astype(np.uint8)).save(os.path.join(out, "pil_gray8.png"))
    p = (i * 3) % 21
    p[-1] = 255
    im = Image.fromarray(p.reshape(H, W).astype(np.uint8), mode="P")
    im.putpalette(voc_palette())
    im.save(os.path.join(out, "pil_palette.png"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "core/src/test/resources/labelmap")
