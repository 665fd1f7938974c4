# Minimal re-implementation of torchvision.models.resnet (v1.5) to get parameter counts and a
# forward-pass reference with deterministic weights. Run with OPENBLAS_NUM_THREADS=1 /usr/bin/python3.
import math, json, sys
import torch, torch.nn as nn
torch.set_default_dtype(torch.float64)

class Basic(nn.Module):
    expansion = 1
    def __init__(s, inp, planes, stride):
        super().__init__()
        s.conv1 = nn.Conv2d(inp, planes, 3, stride, 1, bias=False); s.bn1 = nn.BatchNorm2d(planes)
        s.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False); s.bn2 = nn.BatchNorm2d(planes)
        s.relu = nn.ReLU()
        s.downsample = None
        if stride != 1 or inp != planes:
            s.downsample = nn.Sequential(nn.Conv2d(inp, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))
    def forward(s, x):
        idt = x if s.downsample is None else s.downsample(x)
        return s.relu(s.bn2(s.conv2(s.relu(s.bn1(s.conv1(x))))) + idt)

class Bottle(nn.Module):
    expansion = 4
    def __init__(s, inp, planes, stride):
        super().__init__()
        s.conv1 = nn.Conv2d(inp, planes, 1, bias=False); s.bn1 = nn.BatchNorm2d(planes)
        s.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False); s.bn2 = nn.BatchNorm2d(planes)
        s.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False); s.bn3 = nn.BatchNorm2d(planes * 4)
        s.relu = nn.ReLU()
        s.downsample = None
        if stride != 1 or inp != planes * 4:
            s.downsample = nn.Sequential(nn.Conv2d(inp, planes * 4, 1, stride, bias=False), nn.BatchNorm2d(planes * 4))
    def forward(s, x):
        idt = x if s.downsample is None else s.downsample(x)
        h = s.relu(s.bn1(s.conv1(x))); h = s.relu(s.bn2(s.conv2(h))); h = s.bn3(s.conv3(h))
        return s.relu(h + idt)

LAYOUT = {18: (Basic, [2,2,2,2]), 34: (Basic, [3,4,6,3]), 50: (Bottle, [3,4,6,3]), 101: (Bottle, [3,4,23,3])}

class ResNet(nn.Module):
    def __init__(s, depth, width=64, inch=3, stem='imagenet', fc=False):
        super().__init__()
        B, blocks = LAYOUT[depth]
        if stem == 'imagenet':
            s.conv1 = nn.Conv2d(inch, width, 7, 2, 3, bias=False); s.pool = nn.MaxPool2d(3, 2, 1)
        else:
            s.conv1 = nn.Conv2d(inch, width, 3, 1 if stem == 'cifar' else 2, 1, bias=False); s.pool = nn.Identity()
        s.bn1 = nn.BatchNorm2d(width); s.relu = nn.ReLU()
        inp = width
        for i, n in enumerate(blocks):
            layers = []
            for b in range(n):
                layers.append(B(inp, width * 2**i, 2 if (i > 0 and b == 0) else 1)); inp = width * 2**i * B.expansion
            setattr(s, f'layer{i+1}', nn.Sequential(*layers))
        s.fc = nn.Linear(inp, 1000) if fc else None
        s.dim = inp
    def forward(s, x):
        h = s.pool(s.relu(s.bn1(s.conv1(x))))
        for i in range(4): h = getattr(s, f'layer{i+1}')(h)
        return h.mean(dim=(2, 3))

def count(m): return sum(p.numel() for p in m.parameters())

counts = {}
for d in (18, 34, 50, 101):
    counts[f'resnet{d}_nofc'] = count(ResNet(d)); counts[f'resnet{d}_fc'] = count(ResNet(d, fc=True))
counts['resnet18_w16_in5_cifar'] = count(ResNet(18, 16, 5, 'cifar'))
counts['resnet34_w16_in1'] = count(ResNet(34, 16, 1))
counts['resnet101_w8_in5'] = count(ResNet(101, 8, 5))
print(json.dumps(counts, indent=1))

def hname(n): return sum(ord(c) for c in n) % 997
def fill(model):
    for n, t in model.state_dict().items():
        if n.endswith('num_batches_tracked'): continue
        k = torch.arange(t.numel(), dtype=torch.float64)
        s = torch.sin(0.731 * k + 0.013 * hname(n))
        if n.endswith('weight') and t.dim() == 4:
            fan_in = t.shape[1] * t.shape[2] * t.shape[3]; v = 1.5 / math.sqrt(fan_in) * s
        elif n.endswith('weight'): v = 1 + 0.2 * s
        elif n.endswith('bias'): v = 0.1 * s
        elif n.endswith('running_mean'): v = 0.1 * s
        elif n.endswith('running_var'): v = 1 + 0.3 * s * s
        else: raise SystemExit(n)
        t.copy_(v.reshape(t.shape))

def ref(depth, width, inch, stem, size, batch=2):
    m = ResNet(depth, width, inch, stem); fill(m); m.eval()
    k = torch.arange(batch * inch * size * size, dtype=torch.float64)
    x = torch.sin(0.05 * k * k / (size * size) + 0.3 * k).reshape(batch, inch, size, size)  # NCHW
    with torch.no_grad(): y = m(x)
    return [round(v, 7) for v in y.flatten().tolist()]

out = {
  'r18_w4_in2_imagenet_s20': ref(18, 4, 2, 'imagenet', 20),
  'r50_w2_in3_stride2_s13': ref(50, 2, 3, 'stride2', 13),
  'r34_w2_in1_cifar_s9': ref(34, 2, 1, 'cifar', 9),
}
json.dump(out, open('resnet_parity.json', 'w'))  # pasted into ../resnet-parity.fixture.ts
for k, v in out.items(): print(k, len(v), v[:4])
