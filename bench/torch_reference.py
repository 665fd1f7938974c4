#!/usr/bin/python3
"""PyTorch twins of the train-bench models (bench/train-bench.ts), timed on the CPU.

Called by train-bench.ts when `/usr/bin/python3 -c 'import torch'` works (Debian: apt-get install
-y python3-torch). Architectures mirror lensforge's tfjs-layers builders:
- simsiam-<stem>: ResNet-18 (plugins/encoders/nets/resnet.ts; widths w,2w,4w,8w, BN after every
  conv, 1x1 conv+BN projection shortcuts, global average pool), SimSiam projector
  (Linear-BN-ReLU x2, Linear-BN without affine; no biases) and predictor
  (Linear-BN-ReLU-Linear), symmetric negative cosine with stop-gradient, SGD lr 0.05 momentum 0.9;
- dcgan: the bench's DCGAN (dense + 4 stride-2 5x5 transposed convs; 4 stride-2 5x5 convs + dense),
  sigmoid cross-entropy, Adam(2e-4, betas 0.5/0.999); one step = one D update + one G update;
- unet: plugins/encoders/nets/unet.ts (conv-BN-LeakyReLU(0.2) units, 2x2 max pools, residual
  bottleneck, nearest 2x upsampling + conv, skip concatenation, 1x1 output conv), L1 loss, Adam(1e-3);
- tiny: the bench's small CNN regression model, Adam(1e-3).
Input: one JSON object on argv[1]: {"models": [...], "batch": {...}, "steps": n, "warmup": n,
"threads": n, "fwdBatch": n, "width": n}. Output: one JSON object on stdout with, per model,
ms per step (median/min/max), CPU seconds used by this process, parameter counts, and the encoder
forward throughput. Set OPENBLAS_NUM_THREADS=1 in the environment (the caller does): Debian's
torch links OpenBLAS-pthread, which otherwise oversubscribes the cores.
"""
import json
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BN_MOMENTUM = 0.1  # = tfjs decay 0.9
BN_EPS = 1e-5


def conv_bn(cin, cout, k, stride=1, act='relu', bn=True):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, bias=not bn)]
    if bn:
        layers.append(nn.BatchNorm2d(cout, eps=BN_EPS, momentum=BN_MOMENTUM))
    if act == 'relu':
        layers.append(nn.ReLU())
    elif act == 'leaky':
        layers.append(nn.LeakyReLU(0.2))
    return nn.Sequential(*layers)


class BasicBlock(nn.Module):
    def __init__(self, cin, planes, stride):
        super().__init__()
        self.c1 = conv_bn(cin, planes, 3, stride)
        self.c2 = conv_bn(planes, planes, 3, 1, act='none')
        self.short = None if stride == 1 and cin == planes else conv_bn(cin, planes, 1, stride, act='none')

    def forward(self, x):
        s = x if self.short is None else self.short(x)
        return F.relu(self.c2(self.c1(x)) + s)


class ResNet18(nn.Module):
    def __init__(self, width, in_ch, stem):
        super().__init__()
        if stem == 'imagenet':
            self.stem = nn.Sequential(conv_bn(in_ch, width, 7, 2), nn.MaxPool2d(3, 2, 1))
        else:
            self.stem = conv_bn(in_ch, width, 3, 1 if stem == 'cifar' else 2)
        blocks, c = [], width
        for s in range(4):
            planes = width * 2 ** s
            for b in range(2):
                blocks.append(BasicBlock(c, planes, 2 if s > 0 and b == 0 else 1))
                c = planes
        self.blocks = nn.Sequential(*blocks)
        self.dim = c

    def forward(self, x):
        return torch.flatten(F.adaptive_avg_pool2d(self.blocks(self.stem(x)), 1), 1)


def bn1d(d, affine=True):
    return nn.BatchNorm1d(d, eps=BN_EPS, momentum=BN_MOMENTUM, affine=affine)


class SimSiam(nn.Module):
    def __init__(self, width, stem, hidden=256, out=256, bottleneck=64):
        super().__init__()
        self.encoder = ResNet18(width, 1, stem)
        d = self.encoder.dim
        self.projector = nn.Sequential(
            nn.Linear(d, hidden, bias=False), bn1d(hidden), nn.ReLU(),
            nn.Linear(hidden, hidden, bias=False), bn1d(hidden), nn.ReLU(),
            nn.Linear(hidden, out, bias=False), bn1d(out, affine=False))
        self.predictor = nn.Sequential(nn.Linear(out, bottleneck, bias=False), bn1d(bottleneck), nn.ReLU(), nn.Linear(bottleneck, out))

    def loss(self, x1, x2):
        z1, z2 = self.projector(self.encoder(x1)), self.projector(self.encoder(x2))
        p1, p2 = self.predictor(z1), self.predictor(z2)
        d = lambda p, z: -F.cosine_similarity(p, z.detach(), dim=1).mean()
        return 0.5 * d(p1, z2) + 0.5 * d(p2, z1)


class Generator(nn.Module):
    def __init__(self, z=64):
        super().__init__()
        self.fc = nn.Linear(z, 4 * 4 * 128, bias=False)
        self.bn0 = nn.BatchNorm1d(4 * 4 * 128, eps=BN_EPS, momentum=BN_MOMENTUM)
        ups, c = [], 128
        for cout in (64, 32, 16):
            ups += [nn.ConvTranspose2d(c, cout, 5, 2, 2, output_padding=1, bias=False),
                    nn.BatchNorm2d(cout, eps=BN_EPS, momentum=BN_MOMENTUM), nn.ReLU()]
            c = cout
        ups += [nn.ConvTranspose2d(c, 1, 5, 2, 2, output_padding=1), nn.Tanh()]
        self.ups = nn.Sequential(*ups)

    def forward(self, z):
        return self.ups(F.relu(self.bn0(self.fc(z))).view(-1, 128, 4, 4))


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        layers, c = [nn.Conv2d(1, 32, 5, 2, 2), nn.LeakyReLU(0.2)], 32
        for cout in (64, 128, 256):
            layers += [nn.Conv2d(c, cout, 5, 2, 2, bias=False), nn.BatchNorm2d(cout, eps=BN_EPS, momentum=BN_MOMENTUM), nn.LeakyReLU(0.2)]
            c = cout
        self.body = nn.Sequential(*layers)
        self.fc = nn.Linear(256 * 4 * 4, 1)

    def forward(self, x):
        return self.fc(torch.flatten(self.body(x), 1))


class UNet(nn.Module):
    def __init__(self, in_ch=2, out_ch=1, levels=3, f=16, res=2):
        super().__init__()
        unit = lambda a, b, act='leaky': conv_bn(a, b, 3, 1, act)
        self.enc = nn.ModuleList()
        c = in_ch
        for l in range(levels):
            self.enc.append(nn.Sequential(unit(c, f * 2 ** l), unit(f * 2 ** l, f * 2 ** l)))
            c = f * 2 ** l
        fb = f * 2 ** levels
        self.bottleneck = unit(c, fb)
        self.res = nn.ModuleList([nn.Sequential(unit(fb, fb), unit(fb, fb, 'none')) for _ in range(res)])
        self.up, self.dec = nn.ModuleList(), nn.ModuleList()
        c = fb
        for l in reversed(range(levels)):
            self.up.append(unit(c, f * 2 ** l))
            self.dec.append(nn.Sequential(unit(2 * f * 2 ** l, f * 2 ** l), unit(f * 2 ** l, f * 2 ** l)))
            c = f * 2 ** l
        self.out = nn.Conv2d(c, out_ch, 1)

    def forward(self, x):
        skips = []
        for e in self.enc:
            x = e(x)
            skips.append(x)
            x = F.max_pool2d(x, 2)
        x = self.bottleneck(x)
        for r in self.res:
            x = x + r(x)
        for up, dec, skip in zip(self.up, self.dec, reversed(skips)):
            x = up(F.interpolate(x, scale_factor=2, mode='nearest'))
            x = dec(torch.cat([x, skip], 1))
        return self.out(x)


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(conv_bn(1, 8, 3), nn.MaxPool2d(2), conv_bn(8, 16, 3), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        return self.fc(torch.flatten(self.body(x), 1))


def count(*mods):
    return sum(p.numel() for m in mods for p in m.parameters() if p.requires_grad)


def build(name, batch, width):
    """Returns (step function, parameter count, encoder or None)."""
    torch.manual_seed(0)
    if name.startswith('simsiam'):
        stem = name.split('-')[1]
        m = SimSiam(width, stem)
        opt = torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)
        x1, x2 = torch.randn(batch, 1, 64, 64), torch.randn(batch, 1, 64, 64)

        def step():
            opt.zero_grad(set_to_none=True)
            m.loss(x1, x2).backward()
            opt.step()
        return step, count(m), m.encoder
    if name == 'dcgan':
        g, d = Generator(), Discriminator()
        og = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
        od = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
        real = torch.rand(batch, 1, 64, 64) * 2 - 1
        ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)
        bce = nn.BCEWithLogitsLoss()

        def step():
            z = torch.randn(batch, 64)
            od.zero_grad(set_to_none=True)
            fake = g(z)
            (bce(d(real), ones) + bce(d(fake.detach()), zeros)).backward()
            od.step()
            og.zero_grad(set_to_none=True)
            bce(d(g(z)), ones).backward()  # G forward again, as the TF.js step does
            og.step()
        return step, count(g, d), None
    if name == 'unet':
        u = UNet()
        opt = torch.optim.Adam(u.parameters(), lr=1e-3)
        x, y = torch.randn(batch, 2, 64, 64), torch.randn(batch, 1, 64, 64)

        def step():
            opt.zero_grad(set_to_none=True)
            (u(x) - y).abs().mean().backward()
            opt.step()
        return step, count(u), None
    if name == 'tiny':
        t = Tiny()
        opt = torch.optim.Adam(t.parameters(), lr=1e-3)
        x, y = torch.randn(batch, 1, 16, 16), torch.randn(batch, 4)

        def step():
            opt.zero_grad(set_to_none=True)
            F.mse_loss(t(x), y).backward()
            opt.step()
        return step, count(t), None
    raise ValueError(f'models: unknown model {name!r}')


def main():
    cfg = json.loads(sys.argv[1])
    torch.set_num_threads(int(cfg.get('threads', 2)))
    out = {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'models': {}}
    for name in cfg['models']:
        batch = int(cfg['batch'][name])
        step, params, encoder = build(name, batch, int(cfg.get('width', 16)))
        for _ in range(int(cfg.get('warmup', 3))):
            step()
        times = []
        c0 = time.process_time()
        for _ in range(int(cfg.get('steps', 10))):
            t0 = time.perf_counter()
            step()
            times.append((time.perf_counter() - t0) * 1000)
        cpu = time.process_time() - c0
        rec = {'batch': batch, 'params': params, 'msMedian': statistics.median(times), 'msMin': min(times),
               'msMax': max(times), 'cpuMsPerStep': cpu * 1000 / len(times), 'steps': len(times)}
        if encoder is not None:
            fb = int(cfg.get('fwdBatch', 128))
            x = torch.randn(fb, 1, 64, 64)
            encoder.eval()
            with torch.no_grad():
                encoder(x)
                ft = []
                for _ in range(5):
                    t0 = time.perf_counter()
                    encoder(x)
                    ft.append(time.perf_counter() - t0)
            rec['fwdImagesPerSec'] = fb / statistics.median(ft)
        out['models'][name] = rec
    out['cpuTotalMs'] = time.process_time() * 1000
    print(json.dumps(out))


if __name__ == '__main__':
    main()
