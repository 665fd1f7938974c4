import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { batchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
import { withBackend } from '../tensor/with-backend.js';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from '../tensor/native/batch-norm-train.js';
import { TEST_SEED, expectClose, expectNative, onBoth, randArray, requireNative, testRng } from '../tensor/native/native-test-util.js';

const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);

interface Case { shape: number[]; x: Float32Array; g: Float32Array; weights: Float32Array[]; args: BatchNormalizationArgs }

function makeCase(name: string, shape: number[], args: BatchNormalizationArgs = {}): Case {
  const rng = testRng(name);
  const C = shape[shape.length - 1];
  const nw = (args.scale === false ? 0 : 1) + (args.center === false ? 0 : 1);
  const weights = Array.from({ length: nw }, () => randArray(rng, C));
  weights.push(randArray(rng, C), Float32Array.from(randArray(rng, C), (v) => 0.5 + v * v)); // moving mean, variance
  return { shape, x: Float32Array.from(randArray(rng, size(shape)), (v) => 0.7 + 2 * v), g: randArray(rng, size(shape)), weights, args };
}

/**
 * One training step of the layer made by `make`: the training output, d(Σ y·g)/d(x, trainable
 * weights), the moving statistics after the update and the inference output with them.
 */
function step(make: (a: BatchNormalizationArgs) => tf.layers.Layer, c: Case): tf.Tensor[] {
  const layer = make({ momentum: 0.9, epsilon: 1e-5, ...c.args });
  const x = tf.variable(tf.tensor(c.x, c.shape));
  try {
    layer.apply(tf.zeros(c.shape), { training: false }); // builds the weights
    layer.setWeights(c.weights.map((w) => tf.tensor1d(w)));
    const trainable = layer.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
    const { value, grads } = tf.variableGrads(() => {
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      return tf.sum(tf.mul(y, tf.tensor(c.g, c.shape)));
    }, [x, ...trainable]);
    const moving = layer.getWeights().slice(-2).map((w) => tf.clone(w));
    const inference = layer.apply(x, { training: false }) as tf.Tensor;
    return [value, grads[x.name], ...trainable.map((v) => grads[v.name]), ...moving, inference];
  } finally {
    x.dispose();
    layer.dispose();
  }
}

describe(`core/nn batchNormalization: tfjs-layers' layer, fused on native (seed ${TEST_SEED})`, function () {
  before(async function () { await requireNative(this); });

  for (const [name, shape] of [['conv', [4, 6, 5, 7]], ['dense', [16, 9]], ['big conv', [8, 32, 32, 16]]] as const) {
    it(`a training step on native (fused) matches tfjs-layers' BatchNormalization on cpu: ${name} [${shape}]`, async () => {
      const c = makeCase(name, [...shape]);
      const r = await onBoth(() => (tf.getBackend() === 'cpu' ? step((a) => tf.layers.batchNormalization(a), c) : step(batchNormalization, c)));
      expectClose(r, `${name} step`);
      expectNative(r, BATCH_NORM_TRAIN, name);
      expectNative(r, BATCH_NORM_TRAIN_GRAD, name);
    });
  }

  it('scale: false and center: false train on native (tfjs-layers\' own call throws there) and match the formula on cpu', async () => {
    const c = makeCase('no-affine', [12, 5], { scale: false, center: false });
    const native = await withBackend('native', () => step(batchNormalization, c).map((t) => t.dataSync().slice()));
    expect(native.length).to.equal(5); // value, dx, moving mean, moving variance, inference
    const ref = await withBackend('cpu', () => tf.tidy(() => {
      const x = tf.tensor(c.x, c.shape);
      const { mean, variance } = tf.moments(x, [0]);
      const dx = tf.grad((u: tf.Tensor) => {
        const m = tf.moments(u, [0]);
        return tf.sum(tf.mul(tf.batchNorm(u, m.mean, m.variance, tf.zeros([5]), tf.ones([5]), 1e-5), tf.tensor(c.g, c.shape)));
      })(x);
      const mm = tf.sub(tf.tensor1d(c.weights[0]), tf.mul(tf.sub(tf.tensor1d(c.weights[0]), mean), 0.1));
      const mv = tf.sub(tf.tensor1d(c.weights[1]), tf.mul(tf.sub(tf.tensor1d(c.weights[1]), variance), 0.1));
      return [dx, mm, mv].map((t) => t.dataSync().slice());
    }));
    const err = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]))) / Math.max(...Array.from(b, Math.abs));
    expect(err(native[1], ref[0]), 'dx').to.be.below(1e-4);
    expect(err(native[2], ref[1]), 'moving mean').to.be.below(1e-5);
    expect(err(native[3], ref[2]), 'moving variance').to.be.below(1e-5);
  });

  it('on cpu it is tfjs-layers\' layer bit for bit; it serialises as BatchNormalization and loads as the stock layer', async () => {
    const c = makeCase('cpu-same', [5, 4, 4, 3]);
    const [ours, stock] = await withBackend('cpu', () => [step(batchNormalization, c), step((a) => tf.layers.batchNormalization(a), c)]
      .map((ts) => ts.map((t) => Array.from(t.dataSync()))));
    expect(ours).to.deep.equal(stock);
    const json = await withBackend('cpu', () => {
      const input = tf.input({ shape: [4, 4, 3] });
      const model = tf.model({ inputs: input, outputs: batchNormalization({ name: 'bn' }).apply(input) as tf.SymbolicTensor });
      const text = JSON.stringify(model.toJSON(null, false));
      const loaded = tf.models.modelFromJSON(JSON.parse(text));
      return loaded.then((m) => ({ text, className: m.getLayer('bn').getClassName(), ctor: m.getLayer('bn').constructor.name }));
    });
    expect(json.text).to.include('"class_name":"BatchNormalization"');
    expect(json.className).to.equal('BatchNormalization');
    expect(json.ctor).to.equal(tf.layers.batchNormalization({}).constructor.name);
  });

  it('leaves no tensors behind over repeated training steps on native', async () => {
    const c = makeCase('leak', [6, 4, 4, 5]);
    const counts = await withBackend('native', () => {
      const n: number[] = [];
      for (let i = 0; i < 4; i++) { tf.tidy(() => { step(batchNormalization, c); }); n.push(tf.memory().numTensors); }
      return n;
    });
    expect(new Set(counts).size, `tensor counts ${counts}`).to.equal(1);
  });
});
