import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng.js';
import { withBackend } from '../with-backend.js';
import { REL_TOL, TEST_SEED, expectClose, expectNative, onBoth, randArray, relErr, requireNative, testRng } from './native-test-util.js';

type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];
type Rounding = 'floor' | 'ceil' | 'round';

interface ConvCase {
  label: string;
  xShape: [number, number, number, number];
  wShape: [number, number, number, number];
  strides: [number, number];
  dilations: [number, number];
  pad: Pad;
  round?: Rounding;
  x: Float32Array; w: Float32Array; g: Float32Array;
}

const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);

/** Random NHWC conv geometry: kernels 1-7, strides 1-3, dilations 1-2, all pad kinds. */
function makeCase(rng: Rng, opts: { dilate: boolean; round: boolean }): ConvCase {
  const K = [1, 2, 3, 4, 5, 7];
  for (;;) {
    const kh = K[rng.int(0, K.length)];
    const kw = rng.random() < 0.7 ? kh : K[rng.int(0, K.length)];
    let sh = rng.int(1, 4);
    let sw = rng.random() < 0.7 ? sh : rng.int(1, 4);
    let dh = 1, dw = 1;
    if (opts.dilate && rng.random() < 0.3) { dh = rng.int(1, 3); dw = rng.int(1, 3); sh = 1; sw = 1; }
    const xShape: [number, number, number, number] = [rng.int(1, 4), rng.int(3, 13), rng.int(3, 13), rng.int(1, 7)];
    const wShape: [number, number, number, number] = [kh, kw, xShape[3], rng.int(1, 9)];
    const kind = rng.int(0, 4);
    const pad: Pad = kind === 0 ? 'same' : kind === 1 ? 'valid' : kind === 2 ? rng.int(0, 3)
      : [[0, 0], [rng.int(0, 3), rng.int(0, 3)], [rng.int(0, 3), rng.int(0, 3)], [0, 0]];
    const round = opts.round && kind >= 2 && rng.random() < 0.5 ? (['floor', 'ceil', 'round'] as const)[rng.int(0, 3)] : undefined;
    // tfjs computes a numeric pad's output size from the filter height and row stride only
    // (conv_util computeOutputShape2D), so non-square numeric-pad convs are wrong in tfjs itself.
    if (typeof pad === 'number' && (kh !== kw || sh !== sw || dh !== dw)) continue;
    let info: tf.backend_util.Conv2DInfo;
    try {
      info = tf.backend_util.computeConv2DInfo(xShape, wShape, [sh, sw], [dh, dw], pad, round);
    } catch {
      continue;
    }
    if (info.outHeight < 1 || info.outWidth < 1) continue;
    const yShape = [xShape[0], info.outHeight, info.outWidth, wShape[3]];
    return {
      label: `x=[${xShape}] w=[${wShape}] strides=[${sh},${sw}] dil=[${dh},${dw}] pad=${JSON.stringify(pad)}${round ? ` round=${round}` : ''}`,
      xShape, wShape, strides: [sh, sw], dilations: [dh, dw], pad, round,
      x: randArray(rng, size(xShape)), w: randArray(rng, size(wShape)), g: randArray(rng, size(yShape)),
    };
  }
}

const N_CASES = 40;

describe(`native conv kernels vs cpu (seed ${TEST_SEED})`, function () {
  before(async function () { await requireNative(this); });

  it(`Conv2D forward: ${N_CASES} random shapes/strides/dilations/paddings`, async () => {
    const rng = testRng('conv2d');
    for (let i = 0; i < N_CASES; i++) {
      const c = makeCase(rng, { dilate: true, round: true });
      const r = await onBoth(() => tf.conv2d(tf.tensor4d(c.x, c.xShape), tf.tensor4d(c.w, c.wShape), c.strides,
        c.pad as 'same', 'NHWC', c.dilations, c.round));
      expectClose(r, `Conv2D ${c.label}`);
      expectNative(r, 'Conv2D', `Conv2D ${c.label}`);
    }
  });

  it(`FusedConv2D (bias, relu/leakyrelu/relu6/elu/sigmoid/linear): ${N_CASES} random cases`, async () => {
    const rng = testRng('fused');
    const acts = ['linear', 'relu', 'leakyrelu', 'relu6', 'elu', 'sigmoid'] as const;
    for (let i = 0; i < N_CASES; i++) {
      const c = makeCase(rng, { dilate: true, round: false });
      const act = acts[i % acts.length];
      const co = c.wShape[3];
      const scalarBias = rng.random() < 0.25;
      const bias = randArray(rng, scalarBias ? 1 : co);
      const alpha = rng.uniform(0.05, 0.5);
      const r = await onBoth(() => tf.fused.conv2d({
        x: tf.tensor4d(c.x, c.xShape), filter: tf.tensor4d(c.w, c.wShape), strides: c.strides, pad: c.pad as 'same',
        dilations: c.dilations, bias: scalarBias ? tf.scalar(bias[0]) : tf.tensor1d(bias), activation: act, leakyreluAlpha: alpha,
      }));
      expectClose(r, `FusedConv2D ${act} ${c.label}`);
      expectNative(r, 'FusedConv2D', `FusedConv2D ${c.label}`);
    }
  });

  it(`Conv2DBackpropInput and Conv2DBackpropFilter (gradients of conv2d): ${N_CASES} random cases`, async () => {
    const rng = testRng('grads');
    for (let i = 0; i < N_CASES; i++) {
      const c = makeCase(rng, { dilate: false, round: false });
      const r = await onBoth(() => {
        const x = tf.tensor4d(c.x, c.xShape), w = tf.tensor4d(c.w, c.wShape);
        const g = tf.tensor4d(c.g, [c.xShape[0], ...tf.conv2d(x, w, c.strides, c.pad as 'same').shape.slice(1)] as [number, number, number, number]);
        return tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad as 'same'), g)))([x, w]);
      });
      expectClose(r, `conv2d grads ${c.label}`);
      expectNative(r, 'Conv2DBackpropInput', `conv2d grads ${c.label}`);
      expectNative(r, 'Conv2DBackpropFilter', `conv2d grads ${c.label}`);
    }
  });

  it('conv2dTranspose (Conv2DBackpropInput as a forward op) matches cpu', async () => {
    const rng = testRng('transpose');
    for (let i = 0; i < 15; i++) {
      const b = rng.int(1, 3), h = rng.int(2, 8), w = rng.int(2, 8), ci = rng.int(1, 5), co = rng.int(1, 5);
      const k = rng.int(1, 6), s = rng.int(1, 3);
      const pad = rng.random() < 0.5 ? 'same' as const : 'valid' as const;
      const outH = pad === 'same' ? h * s : (h - 1) * s + k, outW = pad === 'same' ? w * s : (w - 1) * s + k;
      const x = randArray(rng, b * h * w * ci), f = randArray(rng, k * k * co * ci);
      const label = `x=[${b},${h},${w},${ci}] k=${k} s=${s} ${pad} -> [${outH},${outW},${co}]`;
      const r = await onBoth(() => tf.conv2dTranspose(tf.tensor4d(x, [b, h, w, ci]), tf.tensor4d(f, [k, k, co, ci]),
        [b, outH, outW, co], s, pad));
      expectClose(r, `conv2dTranspose ${label}`);
      expectNative(r, 'Conv2DBackpropInput', label);
    }
  });

  it('Conv2DBackpropInput is lazy: correct after its inputs are disposed, free when never read', async () => {
    const rng = testRng('lazy');
    const dyv = randArray(rng, 2 * 4 * 4 * 3), wv = randArray(rng, 3 * 3 * 2 * 3);
    const attrs = { inputShape: [2, 4, 4, 2], strides: 1, pad: 'same', dataFormat: 'NHWC' } as unknown as tf.NamedAttrMap;
    const run = () => {
      const dy = tf.tensor4d(dyv, [2, 4, 4, 3]), w = tf.tensor4d(wv, [3, 3, 2, 3]);
      const out = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, attrs) as tf.Tensor;
      tf.dispose([dy, w]); // the output must not depend on them staying alive
      return out;
    };
    const ref = await withBackend('cpu', () => { const t = run(); const v = t.dataSync().slice(); t.dispose(); return v; });
    await withBackend('native', () => {
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const ids0 = backend.numDataIds();
      const t = run();
      expect(backend.numDataIds(), 'inputs kept alive until the output is read').to.equal(ids0 + 3);
      const got = t.dataSync().slice();
      expect(backend.numDataIds(), 'inputs released once computed').to.equal(ids0 + 1);
      t.dispose();
      expect(relErr(got, ref)).to.be.at.most(REL_TOL);
      const unread = run();
      unread.dispose();
      expect(backend.numDataIds(), 'unread output and its inputs all released').to.equal(ids0);
    });
  });

  it('NCHW convolutions fall back to the cpu kernel and still match', async () => {
    const rng = testRng('nchw');
    const x = randArray(rng, 2 * 3 * 6 * 5), w = randArray(rng, 3 * 3 * 3 * 4);
    const r = await onBoth(() => tf.conv2d(tf.tensor4d(x, [2, 3, 6, 5]), tf.tensor4d(w, [3, 3, 3, 4]), 1, 'same', 'NCHW'));
    expectClose(r, 'Conv2D NCHW');
    expect(r.stats.fallback.Conv2D, 'NCHW Conv2D should use the cpu fallback').to.equal(1);
  });
});
