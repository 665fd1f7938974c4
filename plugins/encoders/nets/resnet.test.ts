import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { buildResNet, type ResNetDepth, type ResNetStem } from './resnet.js';
import { R18_W4_IN2_IMAGENET_S20, R34_W2_IN1_CIFAR_S9, R50_W2_IN3_STRIDE2_S13 } from './resnet-parity.fixture.js';

function trainableCount(m: tf.LayersModel): number {
  return m.trainableWeights.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
}

/** Sum of char codes mod 997 (the same hash as reference/resnet_torch_reference.py). */
function hname(n: string): number { let h = 0; for (const c of n) h += c.charCodeAt(0); return h % 997; }

type TorchKind = 'conv' | 'weight' | 'bias' | 'running_mean' | 'running_var';

/**
 * Deterministic values of the torch state-dict entry `key` (e.g. 'layer1.0.bn1.weight') in torch
 * layout (flat index k), h = hname(key): conv weight 1.5/sqrt(fanIn) sin(0.731k + 0.013h),
 * BN weight 1 + 0.2 sin, bias 0.1 sin, running_mean 0.1 sin, running_var 1 + 0.3 sin^2
 * (mirrors `fill` in reference/resnet_torch_reference.py).
 */
function torchValues(key: string, kind: TorchKind, n: number, fanIn = 1): Float64Array {
  const out = new Float64Array(n);
  const h = hname(key);
  for (let k = 0; k < n; k++) {
    const s = Math.sin(0.731 * k + 0.013 * h);
    if (kind === 'conv') out[k] = 1.5 / Math.sqrt(fanIn) * s;
    else if (kind === 'weight') out[k] = 1 + 0.2 * s;
    else if (kind === 'bias' || kind === 'running_mean') out[k] = 0.1 * s;
    else out[k] = 1 + 0.3 * s * s;
  }
  return out;
}

/** Load the deterministic torch weights into a tfjs ResNet whose layer prefix is `r`. */
function loadDeterministic(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls !== 'Conv2D' && cls !== 'BatchNormalization') continue;
    const key = layer.name.slice(2).replace(/_/g, '.'); // 'r_layer1_0_conv1' -> 'layer1.0.conv1'
    if (cls === 'Conv2D') {
      const [kh, kw, ci, co] = layer.getWeights()[0].shape;
      const src = torchValues(key + '.weight', 'conv', kh * kw * ci * co, ci * kh * kw);
      const dst = new Float32Array(kh * kw * ci * co);
      // torch [co][ci][kh][kw] -> tf [kh][kw][ci][co]
      for (let o = 0; o < co; o++) for (let i = 0; i < ci; i++) for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) {
        dst[((a * kw + b) * ci + i) * co + o] = src[((o * ci + i) * kh + a) * kw + b];
      }
      layer.setWeights([tf.tensor4d(dst, [kh, kw, ci, co])]);
    } else {
      const c = layer.getWeights()[0].shape[0];
      const kinds: TorchKind[] = ['weight', 'bias', 'running_mean', 'running_var']; // gamma, beta, moving mean/var
      layer.setWeights(kinds.map((kind) => tf.tensor1d(Float32Array.from(torchValues(`${key}.${kind}`, kind, c)))));
    }
  }
}

function deterministicInput(batch: number, ch: number, size: number): tf.Tensor4D {
  const n = batch * ch * size * size;
  const nchw = new Float32Array(n);
  for (let k = 0; k < n; k++) nchw[k] = Math.sin(0.05 * k * k / (size * size) + 0.3 * k);
  return tf.tidy(() => tf.tensor4d(nchw, [batch, ch, size, size]).transpose([0, 2, 3, 1]) as tf.Tensor4D);
}

describe('encoders/nets/resnet', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('matches torchvision parameter counts (resnet18, resnet50, width 64, 3 channels)', () => {
    // Reference: torchvision resnet18 11,689,512 params with fc (512*1000+1000 = 513,000),
    // resnet50 25,557,032 with fc (2048*1000+1000); recomputed with the torch re-implementation in
    // reference/resnet_torch_reference.py: 11,176,512 and 23,508,032 without fc.
    const r18 = buildResNet({ depth: 18, inChannels: 3, inputSize: 32, rng: Rng.fromSeed(1) });
    expect(trainableCount(r18.model)).to.equal(11_176_512);
    expect(r18.featureDim).to.equal(512);
    const fc = tf.layers.dense({ units: 1000 });
    fc.apply(r18.model.outputs[0]);
    expect(trainableCount(r18.model) + fc.countParams()).to.equal(11_689_512);
    r18.model.dispose();
    const r50 = buildResNet({ depth: 50, inChannels: 3, inputSize: 32, rng: Rng.fromSeed(1) });
    expect(trainableCount(r50.model)).to.equal(23_508_032);
    expect(r50.featureDim).to.equal(2048);
    r50.model.dispose();
  });

  it('matches the torch re-implementation for other depths, widths and channels', () => {
    // Counts from reference/resnet_torch_reference.py (torch 1.13.1).
    const cases: [ResNetDepth, number, number, ResNetStem, number, number][] = [
      [18, 16, 5, 'cifar', 700_464, 128],
      [34, 16, 1, 'imagenet', 1_333_680, 128],
      [101, 8, 5, 'imagenet', 677_400, 256],
    ];
    for (const [depth, width, inChannels, stem, count, dim] of cases) {
      const { model, featureDim } = buildResNet({ depth, width, inChannels, stem, inputSize: 16, rng: Rng.fromSeed(2) });
      expect(trainableCount(model), `resnet${depth} w${width}`).to.equal(count);
      expect(featureDim).to.equal(dim);
      expect(model.outputs[0].shape).to.deep.equal([null, dim]);
      model.dispose();
    }
  });

  it('reproduces torch forward outputs (eval-mode BN) for the three stems and both block types', () => {
    const cases: [ResNetDepth, number, number, ResNetStem, number, number[]][] = [
      [18, 4, 2, 'imagenet', 20, R18_W4_IN2_IMAGENET_S20],
      [50, 2, 3, 'stride2', 13, R50_W2_IN3_STRIDE2_S13],
      [34, 2, 1, 'cifar', 9, R34_W2_IN1_CIFAR_S9],
    ];
    for (const [depth, width, inChannels, stem, size, ref] of cases) {
      const { model } = buildResNet({ depth, width, inChannels, stem, inputSize: size, rng: Rng.fromSeed(3), name: 'r' });
      loadDeterministic(model);
      const x = deterministicInput(2, inChannels, size);
      const y = model.predict(x) as tf.Tensor;
      const got = Array.from(y.dataSync());
      expect(got.length).to.equal(ref.length);
      let maxErr = 0;
      for (let i = 0; i < ref.length; i++) maxErr = Math.max(maxErr, Math.abs(got[i] - ref[i]) / Math.max(1, Math.abs(ref[i])));
      expect(maxErr, `resnet${depth} ${stem}`).to.be.below(2e-5);
      tf.dispose([x, y]);
      model.dispose();
    }
  });

  it('runs on 1 and 5 input channels with the right output shape', () => {
    for (const inChannels of [1, 5]) {
      const { model, featureDim } = buildResNet({ depth: 18, width: 8, inChannels, inputSize: 16, stem: 'stride2', rng: Rng.fromSeed(4) });
      expect(featureDim).to.equal(64);
      const x = tf.randomNormal([2, 16, 16, inChannels], 0, 1, 'float32', 5);
      const y = model.predict(x) as tf.Tensor;
      expect(y.shape).to.deep.equal([2, 64]);
      expect(Array.from(y.dataSync()).every(Number.isFinite)).to.equal(true);
      tf.dispose([x, y]);
      model.dispose();
    }
  });

  it('gives identical weights for identical seeds and different weights otherwise', () => {
    const build = (seed: number) => buildResNet({ depth: 18, width: 4, inChannels: 1, inputSize: 8, rng: Rng.fromSeed(seed) }).model;
    const a = build(7), b = build(7), c = build(8);
    const wa = a.getWeights(), wb = b.getWeights(), wc = c.getWeights();
    expect(wa.length).to.equal(wb.length);
    let sameAB = true, diffAC = false;
    for (let i = 0; i < wa.length; i++) {
      const va = wa[i].dataSync(), vb = wb[i].dataSync(), vc = wc[i].dataSync();
      for (let k = 0; k < va.length; k++) { if (va[k] !== vb[k]) sameAB = false; if (va[k] !== vc[k]) diffAC = true; }
    }
    expect(sameAB).to.equal(true);
    expect(diffAC).to.equal(true);
    // Kaiming fan-out std of the 7x7 stem conv: sqrt(2 / (49 * 4)) = 0.101
    const k = a.getLayer('resnet18_conv1').getWeights()[0];
    const std = tf.tidy(() => tf.moments(k).variance.sqrt().dataSync()[0]);
    expect(std).to.be.closeTo(Math.sqrt(2 / 196), 0.02);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('uses no conv bias and PyTorch BN settings', () => {
    const { model } = buildResNet({ depth: 50, width: 4, inChannels: 3, inputSize: 8, rng: Rng.fromSeed(1) });
    for (const layer of model.layers) {
      const cfg = layer.getConfig();
      if (layer.getClassName() === 'Conv2D') expect(cfg.useBias, layer.name).to.equal(false);
      if (layer.getClassName() === 'BatchNormalization') {
        expect(cfg.momentum).to.equal(0.9);
        expect(cfg.epsilon).to.equal(1e-5);
      }
    }
    model.dispose();
  });

  it('rejects bad options with messages naming the field', () => {
    const rng = Rng.fromSeed(1);
    expect(() => buildResNet({ depth: 19 as ResNetDepth, inChannels: 3, inputSize: 32, rng }))
      .to.throw('resnet.depth: expected one of 18|34|50|101, got 19');
    expect(() => buildResNet({ depth: 18, inChannels: 0, inputSize: 32, rng }))
      .to.throw('resnet.inChannels: expected an integer >= 1, got 0');
    expect(() => buildResNet({ depth: 18, width: 2.5, inChannels: 1, inputSize: 32, rng }))
      .to.throw('resnet.width: expected an integer >= 1, got 2.5');
    expect(() => buildResNet({ depth: 18, inChannels: 1, inputSize: 32, stem: 'big' as ResNetStem, rng }))
      .to.throw('resnet.stem: expected one of imagenet|cifar|stride2, got "big"');
  });
});
