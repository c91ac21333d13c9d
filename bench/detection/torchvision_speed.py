#!/usr/bin/env python3
"""torchvision's maskrcnn_resnet50_fpn on the CPU at the DJL benchmark's sizes (bench/detection/speed.sh): training
iterations (SGD 0.9, wd 1e-4, lr 0.02) on synthetic batches and inference images, timed as wall and process CPU.
Input recipe as DetectionSpeed.java: normalised noise images of size^2 (min_size = max_size = size, so the transform
does not resize; normalisation of already-normal noise is a cheap affine map), `objects` rectangles per image with
sides 5-45 % of the image, random classes, rectangle masks. Prints one JSON line per measurement.
"""
import argparse, json, os, time
import torch, torchvision

p = argparse.ArgumentParser()
p.add_argument("--size", type=int, default=512)
p.add_argument("--batch", type=int, default=2)
p.add_argument("--objects", type=int, default=8)
p.add_argument("--warmup", type=int, default=1)
p.add_argument("--steps", type=int, default=3)
p.add_argument("--infer", type=int, default=4)
p.add_argument("--threads", type=int, default=os.cpu_count())
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)
g = torch.Generator().manual_seed(1)


def batch(n, s):
    images, targets = [], []
    for _ in range(n):
        images.append(torch.randn(3, s, s, generator=g))
        wh = s * (0.05 + 0.4 * torch.rand(a.objects, 2, generator=g))
        xy = (s - wh) * torch.rand(a.objects, 2, generator=g)
        boxes = torch.cat([xy, xy + wh], 1)
        masks = torch.zeros(a.objects, s, s, dtype=torch.uint8)
        for k, b in enumerate(boxes.long()):
            masks[k, b[1]:b[3] + 1, b[0]:b[2] + 1] = 1
        targets.append({"boxes": boxes, "labels": torch.randint(1, 91, (a.objects,), generator=g), "masks": masks})
    return images, targets


model = torchvision.models.detection.maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=91,
                                                           min_size=a.size, max_size=a.size,
                                                           trainable_backbone_layers=5)
opt = torch.optim.SGD([q for q in model.parameters() if q.requires_grad], lr=0.02, momentum=0.9, weight_decay=1e-4)
images, targets = batch(a.batch, a.size)


def times():
    return time.perf_counter(), time.process_time()


def report(kind, n, bsz, t0, t1):
    print(json.dumps({"kind": kind, "depth": 50, "size": a.size, "batch": bsz, "threads": a.threads, "iters": n,
                      "wall_s_per_iter": round((t1[0] - t0[0]) / n, 3),
                      "cpu_s_per_iter": round((t1[1] - t0[1]) / n, 3)}), flush=True)


model.train()
for i in range(a.warmup + a.steps):
    if i == a.warmup:
        t0 = times()
    losses = model(images, targets)
    opt.zero_grad()
    sum(losses.values()).backward()
    opt.step()
report("torchvision-train", a.steps, a.batch, t0, times())
model.eval()
one, _ = batch(1, a.size)
with torch.no_grad():
    model(one)
    t0 = times()
    for _ in range(a.infer):
        model(one)
report("torchvision-infer", a.infer, 1, t0, times())
