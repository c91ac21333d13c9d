"""The DJL trainer's CPU step in plain PyTorch, for the side-by-side benchmark (bench/train/step_bench.sh).

Written from scratch for Debian's CPU torch (no torchvision): ResNet-18 (basic blocks; v1.5's stride placement only
matters for bottlenecks), BYOL heads Linear(4096, bias) -> BN -> ReLU -> Linear(256), online = backbone ->
projector -> predictor, EMA target = backbone -> projector (training-mode BN, no grad), each view through the
networks separately, mask pooling on the feature grid, the DetCon loss (as
../../shared/bench/pytorch_detcon_reference.py), LARS with exclusions, EMA update. BYOL: one global mask and the
regression loss 2 - 2 cos, both directions. Synthetic inputs built once (model side only), as the Java side.
Prints one JSON line.
"""
import argparse, copy, json, time
import torch, torch.nn as nn, torch.nn.functional as F


class Basic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        nn.init.zeros_(self.b2.weight)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.b1(self.c1(x)))
        y = self.b2(self.c2(y))
        return F.relu(y + (x if self.short is None else self.short(x)))


def resnet18():
    layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1)]
    cin = 64
    for i, c in enumerate([64, 128, 256, 512]):
        for j in range(2):
            layers.append(Basic(cin, c, 2 if (j == 0 and i > 0) else 1))
            cin = c
    for m in layers:
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
    return nn.Sequential(*layers), 512


def mlp(i, h, o):
    return nn.Sequential(nn.Linear(i, h), nn.BatchNorm1d(h), nn.ReLU(inplace=True), nn.Linear(h, o, bias=False))


class Net(nn.Module):
    def __init__(self, predictor):
        super().__init__()
        self.trunk, c = resnet18()
        self.proj = mlp(c, 4096, 256)
        self.pred = mlp(256, 4096, 256) if predictor else None

    def forward(self, x, w):  # w: B,M,hw pooling weights on the feature grid
        f = self.trunk(x)
        b, c, h, ww = f.shape
        pooled = torch.bmm(w, f.flatten(2).transpose(1, 2))  # B,M,C
        z = self.proj(pooled.flatten(0, 1))
        if self.pred is not None:
            z = self.pred(z)
        return z.view(b, w.shape[1], -1)


def detcon_loss(p1, p2, t1, t2, i1, i2, temp=0.1):
    b, m, _ = p1.shape
    p1, p2, t1, t2 = (F.normalize(a, dim=-1) for a in (p1, p2, t1, t2))
    eye = torch.eye(b)
    lab = eye[:, None, :, None]

    def same(a, c):
        return (a[:, :, None] == c[:, None, :]).float().unsqueeze(2)

    def logits(p, t):
        return torch.einsum("amk,bnk->ambn", p, t)

    l_aa = logits(p1, t1) - 1e9 * lab * same(i1, i1)
    l_bb = logits(p2, t2) - 1e9 * lab * same(i2, i2)
    l_ab, l_ba = logits(p1, t2), logits(p2, t1)
    y0 = torch.cat([(lab * same(i1, i2)).expand(b, m, b, m), torch.zeros(b, m, b, m)], 2).reshape(b, m, -1)
    y1 = torch.cat([(lab * same(i2, i1)).expand(b, m, b, m), torch.zeros(b, m, b, m)], 2).reshape(b, m, -1)
    n0, n1 = y0.sum(-1, keepdim=True), y1.sum(-1, keepdim=True)
    y0, y1 = y0 / n0.clamp_min(1), y1 / n1.clamp_min(1)
    w0 = (n0[..., 0] > 1e-3).float() / (i1[:, :, None] == i1[:, None, :]).float().sum(-1)
    w1 = (n1[..., 0] > 1e-3).float() / (i2[:, :, None] == i2[:, None, :]).float().sum(-1)
    x0 = torch.cat([l_ab, l_aa], 2).reshape(b, m, -1) / temp
    x1 = torch.cat([l_ba, l_bb], 2).reshape(b, m, -1) / temp
    return (-(y0 * F.log_softmax(x0, -1)).sum(-1) * w0).mean() + (-(y1 * F.log_softmax(x1, -1)).sum(-1) * w1).mean()


def byol_loss(p1, p2, t1, t2):
    def reg(p, t):
        return (2 - 2 * F.cosine_similarity(p, t, dim=-1)).mean()
    return reg(p1[:, 0], t2[:, 0]) + reg(p2[:, 0], t1[:, 0])


class LARS(torch.optim.Optimizer):
    def __init__(self, params, lr, wd=1.5e-6, momentum=0.9, eta=1e-3):
        super().__init__(params, dict(lr=lr, wd=wd, momentum=momentum, eta=eta))

    @torch.no_grad()
    def step(self):
        for g in self.param_groups:
            for p in g["params"]:
                if p.grad is None:
                    continue
                d = p.grad
                if p.ndim > 1:
                    d = d.add(p, alpha=g["wd"])
                    pn, dn = torch.norm(p), torch.norm(d)
                    q = torch.where((pn > 0) & (dn > 0), g["eta"] * pn / dn, torch.ones_like(pn))
                    d = d * q
                buf = self.state[p].setdefault("mu", torch.zeros_like(p))
                buf.mul_(g["momentum"]).add_(d)
                p.add_(buf, alpha=-g["lr"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--method", choices=["detcon_b", "byol"], default="detcon_b")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--res", type=int, default=96)
    ap.add_argument("--masks", type=int, default=16)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=0)
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    online = Net(predictor=True)
    target = copy.deepcopy(online)
    target.pred = None
    for p in target.parameters():
        p.requires_grad_(False)
    opt = LARS(online.parameters(), lr=0.2 * a.batch / 256)
    b, r, g = a.batch, a.res, a.res // 32
    x1, x2 = torch.randn(b, 3, r, r), torch.randn(b, 3, r, r)
    if a.method == "byol":
        m = 1
        w = torch.full((b, 1, g * g), 1.0 / (g * g))
        ids = torch.zeros(b, 1, dtype=torch.long)
    else:
        m = a.masks
        lab = torch.randint(0, 12, (b, 1, 5, 5)).float()
        lab = F.interpolate(lab, size=(g, g), mode="nearest")[:, 0].long().flatten(1)  # B,hw labels per cell
        ids = lab.gather(1, torch.randint(0, g * g, (b, m)))  # existing labels
        w = (lab[:, None, :] == ids[:, :, None]).float()
        w = w / w.sum(-1, keepdim=True)

    def step():
        p1, p2 = online(x1, w), online(x2, w)
        with torch.no_grad():
            t1, t2 = target(x1, w), target(x2, w)
        loss = detcon_loss(p1, p2, t1, t2, ids, ids) if a.method == "detcon_b" else byol_loss(p1, p2, t1, t2)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            for mo, mt in ((online.trunk, target.trunk), (online.proj, target.proj)):
                for po, pt in zip(mo.parameters(), mt.parameters()):
                    pt.mul_(0.99).add_(po.detach(), alpha=0.01)
        return loss

    for _ in range(a.warmup):
        loss = step()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        loss = step()
    dt = (time.perf_counter() - t0) / a.steps
    print(json.dumps(dict(kind="pytorch-" + a.method, arch="resnet18", res=r, batch=b, threads=torch.get_num_threads(),
                          s_per_step=round(dt, 4), steps_per_s=round(1 / dt, 4), img_per_s=round(b / dt, 2),
                          loss=round(loss.item(), 4), torch=torch.__version__)), flush=True)


if __name__ == "__main__":
    main()
