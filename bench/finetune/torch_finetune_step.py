"""The fine-tuning step of bench/finetune (FinetuneStepBench) in plain PyTorch, for the side-by-side numbers.

voc-seg: torchvision's ResNet-50 (v1.5) with replace_stride_with_dilation=[False, False, True] (output stride 16,
the Java backbone's dilation rule), the FCN head (two 3x3x256 convs at dilation 6 + BN + ReLU, a 1x1 classifier),
bilinear upsampling (align_corners=False) to the input, cross-entropy ignoring 255. nyu-depth: ResNet-50 + Laina's
decoder (1x1 conv to 1024 + BN, four fast up-projections 512/256/128/64 computed as the Java side does: the 5x5
kernel assembled into a 3x3 kernel with 4x the outputs, then pixel_shuffle), a 3x3 prediction conv, bilinear
upsampling, berHu. SGD momentum 0.9 with weight decay. One batch of noise with random targets, made once (model
side only). Prints one JSON line with wall and process CPU seconds per step and per image.
"""
import argparse, json, time
import torch, torch.nn as nn, torch.nn.functional as F
import torchvision


def backbone(dilated):
    r = torchvision.models.resnet50(replace_stride_with_dilation=[False, False, dilated])
    return nn.Sequential(r.conv1, r.bn1, r.relu, r.maxpool, r.layer1, r.layer2, r.layer3, r.layer4)


def conv_bn(cin, cout, k, dil=1):
    return [nn.Conv2d(cin, cout, k, padding=dil * (k // 2), dilation=dil, bias=False), nn.BatchNorm2d(cout)]


SELECT = None


def selection():
    rows = [[0, 2, 4], [-1, 1, 3]]
    s = torch.zeros(25, 36)
    for a in range(2):
        for b in range(2):
            for r in range(3):
                for c in range(3):
                    u, v = rows[a][r], rows[b][c]
                    if u >= 0 and v >= 0:
                        s[u * 5 + v, (a * 2 + b) * 9 + r * 3 + c] = 1
    return s


class FastUpConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.w = nn.Parameter(torch.empty(cout, cin, 5, 5))
        nn.init.kaiming_normal_(self.w, mode="fan_out", nonlinearity="relu")

    def forward(self, x):
        co, ci = self.w.shape[:2]
        k = (self.w.reshape(co * ci, 25) @ SELECT).reshape(co, ci, 2, 2, 3, 3).permute(0, 2, 3, 1, 4, 5)
        return F.pixel_shuffle(F.conv2d(x, k.reshape(co * 4, ci, 3, 3), padding=1), 2)


class UpProjection(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.main = nn.Sequential(FastUpConv(cin, cout), nn.BatchNorm2d(cout), nn.ReLU(),
                                  *conv_bn(cout, cout, 3))
        self.proj = nn.Sequential(FastUpConv(cin, cout), nn.BatchNorm2d(cout))

    def forward(self, x):
        return F.relu(self.main(x) + self.proj(x))


class Net(nn.Module):
    def __init__(self, task, classes):
        super().__init__()
        self.task = task
        if task == "voc-seg":
            self.trunk = backbone(True)
            self.head = nn.Sequential(*conv_bn(2048, 256, 3, 6), nn.ReLU(), *conv_bn(256, 256, 3, 6), nn.ReLU(),
                                      nn.Conv2d(256, classes, 1))
        else:
            self.trunk = backbone(False)
            layers = conv_bn(2048, 1024, 1)
            c = 1024
            for o in (512, 256, 128, 64):
                layers.append(UpProjection(c, o))
                c = o
            layers.append(nn.Conv2d(c, 1, 3, padding=1))
            self.head = nn.Sequential(*layers)

    def forward(self, x):
        y = self.head(self.trunk(x))
        return F.interpolate(y, size=x.shape[2:], mode="bilinear", align_corners=False)


def berhu(pred, gt):
    mask = (gt > 0).float()
    e = (pred - gt) * mask
    a = e.abs()
    c = (0.2 * a.max()).detach().clamp_min(1e-12)
    per = torch.where(a <= c, a, (e * e + c * c) / (2 * c)) * mask
    return per.sum() / mask.sum().clamp_min(1)


def main():
    global SELECT
    p = argparse.ArgumentParser()
    p.add_argument("--task", default="voc-seg")
    p.add_argument("--width", type=int)
    p.add_argument("--height", type=int)
    p.add_argument("--batch", type=int)
    p.add_argument("--classes", type=int, default=21)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--threads", type=int, default=0)
    a = p.parse_args()
    seg = a.task == "voc-seg"
    w = a.width or (513 if seg else 304)
    h = a.height or (513 if seg else 228)
    b = a.batch or (2 if seg else 8)
    if a.threads > 0:
        torch.set_num_threads(a.threads)
        torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    SELECT = selection()
    net = Net(a.task, a.classes)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4 if seg else 5e-4)
    x = torch.randn(b, 3, h, w)
    if seg:
        y = torch.randint(0, a.classes, (b, h, w))
        y[torch.rand(b, h, w) < 0.1] = 255
    else:
        y = 0.5 + 9 * torch.rand(b, 1, h, w)
        y[torch.rand(b, 1, h, w) < 0.1] = 0

    def step():
        opt.zero_grad()
        out = net(x)
        loss = F.cross_entropy(out, y, ignore_index=255) if seg else berhu(out, y)
        loss.backward()
        opt.step()
        return loss.item()

    net.train()
    for _ in range(a.warmup):
        loss = step()
    c0, t0 = time.process_time(), time.perf_counter()
    for _ in range(a.steps):
        loss = step()
    wall = (time.perf_counter() - t0) / a.steps
    cpu = (time.process_time() - c0) / a.steps
    print(json.dumps({"kind": "pytorch-" + a.task, "arch": "resnet50", "size": f"{w}x{h}", "batch": b,
                      "threads": torch.get_num_threads(), "s_per_step": round(wall, 3),
                      "cpu_s_per_step": round(cpu, 3), "s_per_img": round(wall / b, 3),
                      "cpu_s_per_img": round(cpu / b, 3), "loss": round(loss, 4), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
