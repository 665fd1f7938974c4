import 'reflect-metadata';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry } from '../dataset/build-simulator.js';
import { MemoryLogger } from '../di/logger.js';
import { SilentProgress } from '../di/progress.js';
import { TrainSchema } from '../experiment/config-schema.js';
import { validateExperiment } from '../experiment/load-config.js';
import { RunDir } from '../io/run-dir.js';
import { ComponentFactory } from '../registry/component-factory.js';
import type { Registry } from '../registry/registry.js';
import { Rng } from '../tensor/rng.js';
import { AdamOptimizer } from './adam-optimizer.js';
import { SgdOptimizer } from './sgd-optimizer.js';
import type { StepInfo } from './training-loop.js';
import { TrainingService } from './training-service.js';

/** A 2 -> 1 linear model with fixed initial weights. */
function linear(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: tf.initializers.constant({ value: 0.5 }), biasInitializer: 'zeros' }));
  return m;
}

/** Fixed regression data y = 2 x0 - x1 + 0.3 (16 rows). */
const X = tf.tensor2d(Array.from({ length: 32 }, (_, i) => Math.sin(1.7 * i)), [16, 2]);
const Y = tf.tidy(() => tf.add(tf.matMul(X, tf.tensor2d([2, -1], [2, 1])), 0.3));

describe('core/training service', () => {
  let registry: Registry;
  let logger: MemoryLogger;
  before(async () => { await tf.setBackend('cpu'); registry = await createRegistry(); });

  function service(train: Record<string, unknown>, dir = mkdtempSync(join(tmpdir(), 'lf-ts-')), resume = false) {
    logger = new MemoryLogger();
    const factory = new ComponentFactory(registry, Rng.fromSeed(1));
    return new TrainingService({
      factory, train: TrainSchema.parse(train), runDir: new RunDir(dir), logger, progress: new SilentProgress(),
      resume, tag: 't', metrics: [], rng: Rng.fromSeed(2), method: 'test/method',
    });
  }

  it('takes each network\'s optimizer from train.optimizers, then train.optimizer, then the method default; scaleLrByBatch once', () => {
    const s = service({ optimizer: { use: 'core/sgd', lr: 0.4, scaleLrByBatch: true }, optimizers: { critic: { use: 'core/adam', lr: 1e-3, beta1: 0.5 } } });
    const o = s.optimizers({ generator: { optimizer: { use: 'core/rmsprop' } }, critic: { optimizer: 'core/sgd' } }, 64);
    expect(o.generator.optimizer).to.be.instanceOf(SgdOptimizer);
    expect(o.generator.baseLr).to.equal(0.1);
    expect(o.generator.path).to.equal('train.optimizer');
    expect(o.critic.optimizer).to.be.instanceOf(AdamOptimizer);
    expect((o.critic.optimizer as AdamOptimizer).beta1).to.equal(0.5);
    expect(o.critic.path).to.equal('train.optimizers.critic');
    const d = service({}).optimizers({ net: { optimizer: { use: 'core/adam', lr: 2e-4 } } }, 8);
    expect(d.net.optimizer).to.be.instanceOf(AdamOptimizer);
    expect(d.net.baseLr).to.equal(2e-4);
    expect(d.net.path).to.equal("train.optimizer (test/method's default for net)");
  });

  it('refuses a train.optimizers key that is not one of the method\'s networks, naming them', () => {
    const s = service({ optimizers: { critc: 'core/adam' } });
    expect(() => s.optimizers({ generator: { optimizer: 'core/adam' }, critic: { optimizer: 'core/adam' } }, 8))
      .to.throw('train.optimizers.critc: test/method has no network "critc"; expected one of generator, critic');
    const t = service({ schedules: { gen: 'core/constant' } });
    expect(() => t.optimizers({ generator: { optimizer: 'core/adam' } }, 8)).to.throw('train.schedules.gen: test/method has no network "gen"; expected one of generator');
  });

  it('reads the legacy { name: sgd } form with its old defaults, and validates train components with their paths', () => {
    const t = TrainSchema.parse({ optimizer: { name: 'adam', lr: 0.002 }, schedule: 'constant' });
    expect(t.optimizer).to.deep.equal({ use: 'core/adam', lr: 0.002, beta1: 0.9, beta2: 0.999, weightDecay: 1e-4, scaleLrByBatch: false });
    expect(t.schedule).to.deep.equal({ use: 'core/constant' });
    expect(TrainSchema.parse({ optimizer: { lr: 0.1 } }).optimizer).to.deep.equal({ use: 'core/sgd', lr: 0.1, momentum: 0.9, weightDecay: 1e-4, scaleLrByBatch: false });
    const raw = {
      data: { use: 'io/dataset', path: '/nonexistent' }, model: { method: { use: 'core/no-such-method' } },
      train: { optimizer: { use: 'core/sgd', lr: -1 }, optimizers: { g: { use: 'core/adamm' } }, schedule: { use: 'core/step', milestones: [3, 1] } },
    };
    let msg = '';
    try { validateExperiment(raw, registry); } catch (e) { msg = (e as Error).message; }
    expect(msg).to.contain('train.optimizer.lr: Too small: expected number to be >0, got -1');
    expect(msg).to.contain('train.optimizers.g.use: unknown optimizer "core/adamm". Did you mean "core/adam" or "core/adamw"?');
    expect(msg).to.contain('train.schedule.milestones: expected increasing epochs, got [3,1]');
  });

  it('sets every scheduled optimizer\'s learning rate before each step (cosine and warm-up), and reports it to the step', async () => {
    const s = service({ schedules: { b: { use: 'core/warmup', steps: 4, then: 'core/constant' } } });
    const o = s.optimizers({ a: { optimizer: { use: 'core/sgd', lr: 0.8, momentum: 0 } }, b: { optimizer: { use: 'core/sgd', lr: 0.8, momentum: 0 } } }, 4);
    const seen: Array<Record<string, number>> = [];
    const ma = linear(), mb = linear();
    await s.run({
      phase: 'p', epochs: 2, stepsPerEpoch: 4, models: { a: ma, b: mb }, optimizers: o,
      step: (_e, _s, info: StepInfo) => {
        seen.push({ ...info.lr, a_opt: o.a.optimizer.learningRate, g: info.globalStep });
        return { loss: 1 };
      },
    });
    expect(seen.map((r) => r.g)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    seen.forEach((r, i) => {
      expect(r.a).to.equal(0.8 * 0.5 * (1 + Math.cos(Math.PI * i / 8)));
      expect(r.a_opt).to.equal(r.a);
    });
    expect(seen.map((r) => r.b)).to.deep.equal([0, 0.2, 0.4, 0.6000000000000001, 0.8, 0.8, 0.8, 0.8]);
  });

  it('releases the tensors a step makes, also when the step throws', async () => {
    const s = service({});
    const before = tf.memory().numTensors;
    await s.run({ phase: 'p', epochs: 2, stepsPerEpoch: 3, models: {}, optimizers: {}, step: () => { tf.ones([8]); tf.zeros([3, 3]); return { loss: 1 }; } });
    expect(tf.memory().numTensors).to.equal(before);
    const err = await s.run({ phase: 'q', epochs: 1, stepsPerEpoch: 2, models: {}, optimizers: {}, step: () => { tf.ones([4]); throw new Error('boom'); } })
      .then(() => undefined, (e: Error) => e);
    expect(err?.message).to.equal('boom');
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('calls hooks after each step, epoch and checkpoint, and restores stateful parts on resume', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lf-ts-'));
    const calls: string[] = [];
    let cursor = 0;
    const part = { save: () => ({ cursor }), load: (st: unknown) => { cursor = (st as { cursor: number }).cursor; } };
    const hooks = {
      afterStep: (i: StepInfo) => { calls.push(`s${i.globalStep}`); },
      afterEpoch: (e: number, r: Readonly<Record<string, number>>) => { calls.push(`e${e}:${r.loss}`); },
      onCheckpoint: (tag: string) => { calls.push(tag); },
    };
    await service({ checkpointEvery: 2 }, dir).run({
      phase: 'p', epochs: 3, stepsPerEpoch: 2, models: {}, optimizers: {}, parts: { cursor: part }, hooks,
      step: () => { cursor += 3; return { loss: cursor }; },
    });
    expect(calls).to.deep.equal(['s0', 's1', 'e0:4.5', 's2', 's3', 'e1:10.5', 'epoch-0001', 's4', 's5', 'e2:16.5', 'epoch-0002']);
    cursor = -1;
    const h = await service({}, dir, true).run({ phase: 'p', epochs: 3, stepsPerEpoch: 2, models: {}, optimizers: {}, parts: { cursor: part }, step: () => { throw new Error('no step'); } });
    expect(h.skipped).to.equal(true);
    expect(cursor).to.equal(18);
  });

  /** Full-batch gradient descent on the linear data; validation = the training MSE shifted by a scripted curve. */
  async function earlyRun(dir: string, epochs: number, resume: boolean, curve: number[]) {
    const s = service({ earlyStopping: { metric: 'val_loss', mode: 'min', patience: 2 }, optimizer: { use: 'core/sgd', lr: 0.05, momentum: 0 }, schedule: 'core/constant' }, dir, resume);
    const model = linear();
    const { net } = s.optimizers({ net: { optimizer: 'core/sgd' } }, 16);
    const h = await s.run({
      phase: 'fit', epochs, stepsPerEpoch: 2, models: { net: model }, optimizers: { net },
      step: () => {
        const l = net.optimizer.minimize(() => tf.losses.meanSquaredError(Y, model.apply(X) as tf.Tensor) as tf.Scalar, true) as tf.Scalar;
        return { loss: l.dataSync()[0] };
      },
      validate: { run: (epoch) => ({ val_loss: curve[epoch] }) },
    });
    return { h, w: Array.from(model.getWeights()[0].dataSync()), model };
  }

  it('stops early when the validation metric stops improving, restores the best weights, and resumes a stopped phase exactly', async () => {
    const curve = [5, 3, 2, 2.5, 2.2, 1, 0.5];
    const dir = mkdtempSync(join(tmpdir(), 'lf-ts-'));
    const { h, w } = await earlyRun(dir, 7, false, curve);
    expect(h.stoppedEarly).to.deep.equal({ epoch: 4, bestEpoch: 2, best: 2, metric: 'val_loss' });
    expect(h.epochs.length).to.equal(5);
    expect(logger.lines.join('\n')).to.contain('fit: early stop after epoch 5: val_loss did not improve for 2 validation(s); best 2.0000 at epoch 3 (its weights restored)');
    // the restored weights are epoch 3's: the same run with 3 epochs ends there
    const three = await earlyRun(mkdtempSync(join(tmpdir(), 'lf-ts-')), 3, false, curve);
    expect(w).to.deep.equal(three.w);
    const records = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { epoch: number; val_loss: number });
    expect(records.map((r) => r.val_loss)).to.deep.equal([5, 3, 2, 2.5, 2.2]);
    // resuming the finished (stopped) phase trains nothing and ends with the same best weights
    const again = await earlyRun(dir, 7, true, curve);
    expect(again.h.skipped).to.equal(true);
    expect(again.w).to.deep.equal(w);
  });

  it('names the missing metric when early stopping watches a value the validation does not give', async () => {
    const s = service({ earlyStopping: { metric: 'val_mae', mode: 'min' } });
    const err = await s.run({ phase: 'fit', epochs: 2, stepsPerEpoch: 1, models: {}, optimizers: {}, step: () => ({ loss: 1 }), validate: { run: () => ({ val_loss: 1, val_r2: 0 }) } })
      .then(() => undefined, (e: Error) => e);
    expect(err?.message).to.equal('train.earlyStopping.metric: "val_mae" is not a validation value of phase fit; expected one of val_loss, val_r2');
  });

  it('evaluates the configured metrics honouring Metric.requires, with the reason a field is missing', async () => {
    const s = service({});
    const metric = { requires: ['predictions'] as const, evaluate: async () => ({ r2: 1 }) };
    (s as unknown as { d: { metrics: unknown[] } }).d.metrics = [{ name: 'x/r2', path: 'evaluate[0]', metric }];
    const err = await s.evaluate({}, { missing: { predictions: 'provides only with downstream enabled' } }).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.equal('evaluate[0]: x/r2 needs predictions, which test/method provides only with downstream enabled');
    const ok = await s.evaluate({ predictions: { yTrue: new Float32Array(1), yPred: new Float32Array(1), name: 'y' } });
    expect(ok).to.deep.equal({ r2: 1 });
  });
});
