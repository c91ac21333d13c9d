#!/usr/bin/python3
"""Compares two folders of 16-bit label PNGs (Java's and scikit-image's): same files, identical labels on every
pixel. Prints 'identical N/N' and the differing files; exit 1 when any differs. Usage: same_labels.py A B"""
import os
import sys

import numpy as np
from PIL import Image


def main():
    a, b = sys.argv[1], sys.argv[2]
    names = sorted(f for f in os.listdir(b) if f.endswith('.png'))
    bad = []
    for name in names:
        pa, pb = os.path.join(a, name), os.path.join(b, name)
        if not os.path.exists(pa):
            bad.append(name + ' (missing)')
            continue
        la, lb = np.asarray(Image.open(pa)), np.asarray(Image.open(pb))
        if la.shape != lb.shape or not np.array_equal(la.astype(np.int64), lb.astype(np.int64)):
            bad.append('%s (%d pixels differ)' % (name, int((la != lb).sum()) if la.shape == lb.shape else -1))
    print('identical %d/%d%s' % (len(names) - len(bad), len(names), ('; differ: ' + ', '.join(bad)) if bad else ''))
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
