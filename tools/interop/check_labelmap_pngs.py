#!/usr/bin/env python3
"""Checks that PIL reads the label-map PNGs written by the Java encoder exactly.

    /usr/bin/python3 tools/interop/check_labelmap_pngs.py DIR      (needs numpy and PIL)

DIR holds NAME.png (written by LabelMapPng.encode) and NAME.u16le (the same labels as raw little-endian uint16,
row-major) for each case, as written by ShardInteropExportTest (labelmaps/). Exits 1 on any difference.
"""
import os
import sys

import numpy as np
from PIL import Image


def main(d):
    names = sorted(f[:-4] for f in os.listdir(d) if f.endswith(".png"))
    if not names:
        print("FAIL: no .png files in " + d)
        return 1
    bad = 0
    for n in names:
        im = Image.open(os.path.join(d, n + ".png"))
        arr = np.array(im)
        expected = np.fromfile(os.path.join(d, n + ".u16le"), dtype="<u2").reshape(im.size[1], im.size[0])
        if im.mode not in ("I;16", "I;16B", "I") or arr.shape != expected.shape \
                or not np.array_equal(arr.astype(np.int64), expected.astype(np.int64)):
            print("FAIL: %s: mode %s shape %s differs from the expected labels" % (n, im.mode, arr.shape))
            bad += 1
    if bad:
        return 1
    print("OK: PIL reads %d Java-encoded label maps exactly (%s)" % (len(names), ", ".join(names)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
