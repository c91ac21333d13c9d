"""Times pycocotools' COCOeval (bbox) on DIR/gt.json + DIR/results.json; prints PY_STATS for comparison.

Usage: python3 pycocotools_time.py DIR [REPEAT]
Needs an importable pycocotools (e.g. PYTHONPATH pointing at a local build); exits 3 when absent.
"""
import contextlib
import io
import os
import statistics
import sys
import time

try:
    import numpy as np
    if not hasattr(np, 'float'):
        np.float = np.float64  # cocoapi master's accumulate() uses np.float, removed in numpy 1.24
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval
except ImportError as e:
    print('pycocotools not importable (%s): skipping the Python reference' % e)
    sys.exit(3)

d = sys.argv[1]
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 1
quiet = contextlib.redirect_stdout(io.StringIO())
t0 = time.perf_counter()
with quiet:
    gt = COCO(os.path.join(d, 'gt.json'))
    dt = gt.loadRes(os.path.join(d, 'results.json'))
t1 = time.perf_counter()
print('pycocotools read + loadRes: %.3f s' % (t1 - t0))
times = []
for i in range(repeat):
    a = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) as out:
        e = COCOeval(gt, dt, 'bbox')
        e.evaluate()
        e.accumulate()
        e.summarize()
    times.append(time.perf_counter() - a)
print('pycocotools evaluate+accumulate+summarize: median %.3f s, min %.3f s (%d run(s))'
      % (statistics.median(times), min(times), repeat))
print(out.getvalue(), end='')
print('PY_STATS ' + ' '.join(repr(float(s)) for s in e.stats))
per = []
for k, c in enumerate(e.params.catIds):
    p = e.eval['precision'][:, :, k, 0, -1]
    p = p[p > -1]
    per.append('%d=%r' % (c, float(np.mean(p)) if p.size else -1.0))
print('PY_PERCAT ' + ' '.join(per))
