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
- tiny: the bench's small CNN regression model, Adam(1e-3);
- gan-quick: the gan plugin's quick DCGAN (plugins/gan/nets): G = dense -> VBN (per-example,
  fixed reference latents prepended to every batch) + ReLU -> stride-2 5x5 transposed convs
  with VBN + ReLU -> tanh; D = stride-2 5x5 convs (BN from the 2nd, LeakyReLU) -> minibatch
  discrimination per position -> linear; hinge loss, one D update (G's output as a constant)
  and one G update per step (plugins/gan/method/dcgan-step.ts), Adam from the preset;
- rcgan-quick: mass-mapping's conditional U-Net generator (condition ++ latent channels, no BN)
  and the 6-conv conditional critic (plugins/mass-mapping/nets); critic update: WGAN loss +
  gradient penalty (double backprop) + drift term; generator update: P samples per condition,
  rcGAN regulariser L1(x, mean) - beta_SD * SD + beta_adv * (-D) (method/rcgan-step.ts);
- band-pretext-quick: band-pretext's extractor (ResNet-18, stride-2 stem, 1x1 conv + BN + ReLU,
  GAP, FC + ReLU) on each band of a cluster and the Table S2 head (plugins/band-pretext/nets),
  mse + alpha * std(|err|) loss, one fine-tuning step; band-pretext-pretext: the same extractor
  + FC to 5 band logits, softmax cross-entropy, one band-classification step.
The plugin models' settings (read by train-bench.ts from the example YAML) arrive in
cfg["plugins"][name].
Input: one JSON object on argv[1]: {"models": [...], "batch": {...}, "steps": n, "warmup": n,
"threads": n, "fwdBatch": n, "width": n, "plugins": {...}}. Output: one JSON object on stdout
with, per model, ms per step (median/min/max), CPU seconds used by this process, parameter
counts, forward multiply-adds per step (counted by forward hooks on the conv, transposed-conv,
linear and minibatch-discrimination modules during one untimed step), and the encoder forward
throughput. Set OPENBLAS_NUM_THREADS=1 in the environment (the caller does): Debian's
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
    def __init__(self, in_ch=2, out_ch=1, levels=3, f=16, res=2, bn=True):
        super().__init__()
        unit = lambda a, b, act='leaky': conv_bn(a, b, 3, 1, act, bn)
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


class VirtualBatchNorm(nn.Module):
    """Per-example VBN (Salimans et al. 2016): the first m rows are the reference batch, normalised
    with their own statistics; every other row with those of reference + itself. NCHW, per channel."""

    def __init__(self, c, m, eps=1e-5):
        super().__init__()
        self.m, self.eps = m, eps
        self.gamma = nn.Parameter(torch.ones(c))
        self.beta = nn.Parameter(torch.zeros(c))

    def forward(self, x):
        m, n = self.m, x.shape[0]
        x2 = x * x
        ref_mean, ref_sq = x[:m].mean((0, 2, 3), keepdim=True), x2[:m].mean((0, 2, 3), keepdim=True)
        ex_mean, ex_sq = x.mean((2, 3), keepdim=True), x2.mean((2, 3), keepdim=True)
        alpha = torch.full((n, 1, 1, 1), 1.0 / (m + 1))
        alpha[:m] = 0
        mu = alpha * (ex_mean - ref_mean) + ref_mean
        var = F.relu(alpha * (ex_sq - ref_sq) + ref_sq - mu * mu)
        return (x - mu) * torch.rsqrt(var + self.eps) * self.gamma.view(1, -1, 1, 1) + self.beta.view(1, -1, 1, 1)


class MinibatchDiscrimination(nn.Module):
    """Salimans et al. 2016 section 3.2 at every position: M = f T (T: A x B*C), o_b(x_i) =
    sum_j exp(-|M_ib - M_jb|_1); output [f, o] (B extra channels)."""

    def __init__(self, a, kernels, kernel_dim, std=0.05):
        super().__init__()
        self.b, self.c = kernels, kernel_dim
        self.T = nn.Parameter(torch.randn(a, kernels * kernel_dim) * std)

    def forward(self, x):
        n, a, h, w = x.shape
        m = (x.permute(0, 2, 3, 1).reshape(n * h * w, a) @ self.T).reshape(n, h * w * self.b, self.c)
        o = torch.exp(-(m.unsqueeze(1) - m.unsqueeze(0)).abs().sum(-1)).sum(1)  # [n, h*w*b]
        return torch.cat([x, o.reshape(n, h, w, self.b).permute(0, 3, 1, 2)], 1)


class GanGenerator(nn.Module):
    """plugins/gan/nets/dcgan-generator.ts with norm 'vbn' (per-example) and stride-2 transposed convs."""

    def __init__(self, g):
        super().__init__()
        if g['norm'] != 'vbn' or g.get('vbnStatistics', 'per-example') != 'per-example' or g.get('upsample', 'transposed') != 'transposed':
            raise ValueError(f"generator: the twin implements norm 'vbn' (per-example) with transposed convs, got {g}")
        ch, k, L = g['channels'], g['kernelSize'], len(g['channels'])
        self.m, self.c0, self.s0 = g['referenceSize'], ch[0], g['outputSize'] // 2 ** L
        self.fc = nn.Linear(g['latentDim'], self.s0 * self.s0 * ch[0])
        self.norm0 = VirtualBatchNorm(ch[0], self.m)
        ups = []
        for i in range(1, L):
            ups += [nn.ConvTranspose2d(ch[i - 1], ch[i], k, 2, k // 2, output_padding=1, bias=False), VirtualBatchNorm(ch[i], self.m), nn.ReLU()]
        ups += [nn.ConvTranspose2d(ch[-1], g['outputChannels'], k, 2, k // 2, output_padding=1), nn.Tanh()]
        self.ups = nn.Sequential(*ups)
        self.register_buffer('ref', torch.randn(self.m, g['latentDim']))

    def forward(self, z):
        h = self.fc(torch.cat([self.ref, z], 0)).view(-1, self.s0, self.s0, self.c0).permute(0, 3, 1, 2)
        return self.ups(F.relu(self.norm0(h)))[self.m:]


class GanDiscriminator(nn.Module):
    """plugins/gan/nets/dcgan-discriminator.ts."""

    def __init__(self, d):
        super().__init__()
        k, layers, c, size = d['kernelSize'], [], d['inputChannels'], d['inputSize']
        for i, cout in enumerate(d['channels']):
            bn = i >= d['batchNormFrom']
            layers.append(nn.Conv2d(c, cout, k, 2, k // 2, bias=not bn))
            if bn:
                layers.append(nn.BatchNorm2d(cout, eps=BN_EPS, momentum=BN_MOMENTUM))
            layers.append(nn.LeakyReLU(d['leakyAlpha']))
            c, size = cout, size // 2
        mb = d.get('minibatch')
        if mb:
            layers.append(MinibatchDiscrimination(c, mb['kernels'], mb['kernelDim'], mb['initStddev']))
            c += mb['kernels']
        if d.get('postConv'):
            layers += [nn.Conv2d(c, c, k, 1, k // 2, bias=False), nn.BatchNorm2d(c, eps=BN_EPS, momentum=BN_MOMENTUM), nn.LeakyReLU(d['leakyAlpha'])]
        self.body = nn.Sequential(*layers)
        self.fc = nn.Linear(c * size * size, 1)

    def forward(self, x):
        return self.fc(torch.flatten(self.body(x), 1))


class ConditionalCritic(nn.Module):
    """plugins/mass-mapping/nets/conditional-critic.ts: [x, cond] -> six 3x3 convs (LeakyReLU, no BN) -> linear."""

    def __init__(self, size, cond_ch, f):
        super().__init__()
        layers, c = [], 1 + cond_ch
        for mult, stride in zip((1, 1, 2, 4, 8, 8), (1, 2, 2, 2, 2, 1)):
            layers.append(conv_bn(c, f * mult, 3, stride, 'leaky', bn=False))
            c = f * mult
        self.body = nn.Sequential(*layers)
        self.fc = nn.Linear((size // 16) ** 2 * c, 1)

    def forward(self, x, cond):
        return self.fc(torch.flatten(self.body(torch.cat([x, cond], 1)), 1))


class BandExtractor(nn.Module):
    """plugins/band-pretext/nets/band-extractor.ts: ResNet trunk -> 1x1 conv + BN + ReLU -> GAP -> FC + ReLU."""

    def __init__(self, e):
        super().__init__()
        self.trunk = ResNet18(e['width'], 1, e['stem'])
        self.proj = conv_bn(self.trunk.dim, e['projChannels'], 1)
        self.fc = nn.Linear(e['projChannels'], e['featureDim'])

    def forward(self, x):
        h = self.proj(self.trunk.blocks(self.trunk.stem(x)))
        return F.relu(self.fc(torch.flatten(F.adaptive_avg_pool2d(h, 1), 1)))


class RichnessHead(nn.Module):
    """plugins/band-pretext/nets/richness-head.ts (Table S2): [B, 1, D, bands] -> 1x1 conv, two 3x3
    convs valid along D and zero-padded along the bands (each + BN + ReLU) -> FCs -> 1."""

    def __init__(self, d, bands, h):
        super().__init__()
        unit = lambda a, b, k: nn.Sequential(nn.Conv2d(a, b, k, 1, (0, k // 2), bias=False), nn.BatchNorm2d(b, eps=BN_EPS, momentum=BN_MOMENTUM), nn.ReLU())
        self.convs = nn.Sequential(unit(1, 1, 1), unit(1, h['conv2Filters'], 3), unit(h['conv2Filters'], h['conv3Filters'], 3))
        fcs, fan = [], (d - 4) * bands * h['conv3Filters']
        for u in h['fc']:
            fcs += [nn.Linear(fan, u), nn.ReLU()]
            fan = u
        self.fc = nn.Sequential(*fcs, nn.Linear(fan, 1))

    def forward(self, x):
        return self.fc(torch.flatten(self.convs(x), 1))


def adam(params, a):
    return torch.optim.Adam(params, lr=a['lr'], betas=(a['beta1'], a['beta2']), eps=a['epsilon'])


def frozen(module):
    """Context: `module`'s parameters need no gradient (TF.js differentiates only the updated network's variables)."""
    class _Frozen:
        def __enter__(self):
            for p in module.parameters():
                p.requires_grad_(False)

        def __exit__(self, *_):
            for p in module.parameters():
                p.requires_grad_(True)
    return _Frozen()


def build_gan_quick(s):
    g, d = GanGenerator(s['generator']), GanDiscriminator(s['discriminator'])
    og, od = adam(g.parameters(), s['adamG']), adam(d.parameters(), s['adamD'])
    b, n, zdim = s['batch'], s['size'], s['generator']['latentDim']
    real = torch.tanh(torch.randn(b, 1, n, n))

    def step():
        for _ in range(s['dSteps']):
            with torch.no_grad():
                fake = g(torch.randn(b, zdim))
            od.zero_grad(set_to_none=True)
            (F.relu(1 - d(real)).mean() + F.relu(1 + d(fake)).mean()).backward()  # hinge L_D
            od.step()
        og.zero_grad(set_to_none=True)
        with frozen(d):
            (-d(g(torch.randn(b, zdim))).mean()).backward()  # hinge L_G
        og.step()
    return step, count(g, d), None, [g, d]


def build_rcgan_quick(s):
    n, b, c, gs = s['size'], s['batch'], s['condChannels'], s['generator']
    zc, p = gs['latentChannels'], s['samples']
    g = UNet(c + zc, 1, gs['levels'], gs['baseFilters'], gs['residualBlocks'], bn=gs['batchNorm'])
    d = ConditionalCritic(n, c, s['critic']['baseFilters'])
    og, od = adam(g.parameters(), s['adam']), adam(d.parameters(), s['adam'])
    x, cond = torch.randn(b, 1, n, n), torch.randn(b, c, n, n)  # κ/s and the packed condition
    sd_norm = (3.141592653589793 / (2 * p * (p - 1))) ** 0.5

    def step():
        for _ in range(s['criticSteps']):
            with torch.no_grad():
                fake = g(torch.cat([cond, torch.randn(b, zc, n, n)], 1))
            od.zero_grad(set_to_none=True)
            dr, df = d(x, cond), d(fake, cond)
            eps = torch.rand(b, 1, 1, 1)
            xhat = (eps * x + (1 - eps) * fake).requires_grad_(True)
            grad, = torch.autograd.grad(d(xhat, cond).sum(), xhat, create_graph=True)
            norm = torch.sqrt(grad.pow(2).sum((1, 2, 3)) + 1e-12)
            gp = s['gpWeight'] * (norm - s['gpCenter']).pow(2).mean()
            (df.mean() - dr.mean() + gp + s['driftWeight'] * dr.pow(2).mean()).backward()
            od.step()
        cond_p = cond.repeat(p, 1, 1, 1)  # sample-major, as tf.tile
        og.zero_grad(set_to_none=True)
        with frozen(d):
            out = g(torch.cat([cond_p, torch.randn(p * b, zc, n, n)], 1))
            samples = out.view(p, b, 1, n, n)
            mean = samples.mean(0)
            reg = (x - mean).abs().mean() - s['betaSD'] * sd_norm * p * (samples - mean).abs().mean()
            (reg + s['betaAdv'] * -d(out, cond_p).mean()).backward()
        og.step()
    return step, count(g, d), None, [g, d]


def build_band_pretext(s):
    size, bands, b = s['size'], s['bands'], s['batch']
    ext = BandExtractor(s['extractor'])
    if s['model'] == 'band-pretext-quick':
        head = RichnessHead(s['extractor']['featureDim'], bands, s['head'])
        opt = adam(list(ext.parameters()) + list(head.parameters()), s['adam'])
        x, y = torch.randn(b, bands, size, size), torch.randn(b, 1)
        alpha, ddof = s['alpha'], s['ddof']

        def step():
            opt.zero_grad(set_to_none=True)
            f = ext(x.reshape(b * bands, 1, size, size)).view(b, bands, -1).transpose(1, 2).unsqueeze(1)  # [B, 1, D, bands]
            diff = head(f).view(-1) - y.view(-1)
            loss = diff.pow(2).mean()
            if alpha != 0 and b - ddof > 0:
                a = diff.abs()
                loss = loss + alpha * torch.sqrt((a - a.mean()).pow(2).sum() / (b - ddof) + 1e-12)
            loss.backward()
            opt.step()
        return step, count(ext, head), None, [ext, head]
    fc = nn.Linear(s['extractor']['featureDim'], bands)
    opt = adam(list(ext.parameters()) + list(fc.parameters()), s['adam'])
    x, labels = torch.randn(b, 1, size, size), torch.randint(0, bands, (b,))

    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(fc(ext(x)), labels).backward()
        opt.step()
    return step, count(ext, fc), None, [ext, fc]


def count(*mods):
    return sum(p.numel() for m in mods for p in m.parameters() if p.requires_grad)


def count_macs(roots, step):
    """Forward multiply-adds of one call of `step`, from hooks on the conv, transposed-conv, linear and
    minibatch-discrimination modules of `roots` (as forwardMacs in train-bench-counting.ts)."""
    total = [0]

    def hook(mod, inp, out):
        if isinstance(mod, nn.Conv2d):
            total[0] += out.numel() * (mod.in_channels // mod.groups) * mod.kernel_size[0] * mod.kernel_size[1]
        elif isinstance(mod, nn.ConvTranspose2d):
            total[0] += inp[0].numel() * mod.out_channels * mod.kernel_size[0] * mod.kernel_size[1]
        elif isinstance(mod, nn.Linear):
            total[0] += inp[0].numel() * mod.out_features
        elif isinstance(mod, MinibatchDiscrimination):
            total[0] += inp[0].numel() * mod.T.shape[1]
    handles = [m.register_forward_hook(hook) for r in roots for m in r.modules()]
    try:
        step()
    finally:
        for h in handles:
            h.remove()
    return total[0]


def build(name, batch, width, plugins):
    """Returns (step function, parameter count, encoder or None, root modules)."""
    torch.manual_seed(0)
    if name in plugins:
        s = plugins[name]
        if s['batch'] != batch:
            raise ValueError(f'{name}: batch {batch} differs from the spec batch {s["batch"]}')
        if name == 'gan-quick':
            return build_gan_quick(s)
        if name == 'rcgan-quick':
            return build_rcgan_quick(s)
        return build_band_pretext(s)
    if name.startswith('simsiam'):
        stem = name.split('-')[1]
        m = SimSiam(width, stem)
        opt = torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)
        x1, x2 = torch.randn(batch, 1, 64, 64), torch.randn(batch, 1, 64, 64)

        def step():
            opt.zero_grad(set_to_none=True)
            m.loss(x1, x2).backward()
            opt.step()
        return step, count(m), m.encoder, [m]
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
        return step, count(g, d), None, [g, d]
    if name == 'unet':
        u = UNet()
        opt = torch.optim.Adam(u.parameters(), lr=1e-3)
        x, y = torch.randn(batch, 2, 64, 64), torch.randn(batch, 1, 64, 64)

        def step():
            opt.zero_grad(set_to_none=True)
            (u(x) - y).abs().mean().backward()
            opt.step()
        return step, count(u), None, [u]
    if name == 'tiny':
        t = Tiny()
        opt = torch.optim.Adam(t.parameters(), lr=1e-3)
        x, y = torch.randn(batch, 1, 16, 16), torch.randn(batch, 4)

        def step():
            opt.zero_grad(set_to_none=True)
            F.mse_loss(t(x), y).backward()
            opt.step()
        return step, count(t), None, [t]
    raise ValueError(f'models: unknown model {name!r}')


def main():
    cfg = json.loads(sys.argv[1])
    torch.set_num_threads(int(cfg.get('threads', 2)))
    out = {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'models': {}}
    for name in cfg['models']:
        batch = int(cfg['batch'][name])
        step, params, encoder, roots = build(name, batch, int(cfg.get('width', 16)), cfg.get('plugins', {}))
        macs = count_macs(roots, step)  # one untimed step, hooks removed afterwards
        for _ in range(int(cfg.get('warmup', 3))):
            step()
        times = []
        c0 = time.process_time()
        for _ in range(int(cfg.get('steps', 10))):
            t0 = time.perf_counter()
            step()
            times.append((time.perf_counter() - t0) * 1000)
        cpu = time.process_time() - c0
        rec = {'batch': batch, 'params': params, 'macsPerStep': macs, 'msMedian': statistics.median(times), 'msMin': min(times),
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
