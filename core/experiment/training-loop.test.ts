import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger } from '../di/logger.js';
import { SilentProgress } from '../di/progress.js';
import { RunDir } from '../io/run-dir.js';
import { Rng } from '../tensor/rng.js';
import type { MethodContext } from '../contracts/method.js';
import { TrainSchema } from './config-schema.js';
import { runTrainingLoop, scheduledLr } from './training-loop.js';

function ctx(dir: string, resume = false): MethodContext {
  return {
    data: undefined as never, metrics: [], train: TrainSchema.parse({ checkpointEvery: 1 }), runDir: new RunDir(dir),
    rng: Rng.fromSeed(1), logger: new MemoryLogger(), progress: new SilentProgress(), resume, tag: 't',
  };
}

function tinyModel(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: tf.initializers.constant({ value: 0.5 }) }));
  return m;
}

describe('training loop', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('stops on a NaN loss naming the epoch and step, keeping the last good checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lf-tl-'));
    const model = tinyModel();
    const err = await runTrainingLoop({
      ctx: ctx(dir), phase: 'p', epochs: 5, stepsPerEpoch: 3, models: { m: model }, optimizers: {},
      step: (epoch, s) => ({ loss: epoch === 2 && s === 1 ? NaN : 1 / (epoch + 1) }),
    }).then(() => undefined, (e: Error) => e);
    expect(err?.name).to.equal('DivergenceError');
    expect(err?.message).to.contain('p: loss became NaN at epoch 3, step 2; the last good checkpoint (epoch-0001) is kept in');
    const latest = JSON.parse(readFileSync(join(dir, 'checkpoints', 'p', 'latest.json'), 'utf8')) as { tag: string };
    expect(latest.tag).to.equal('epoch-0001');
    expect(existsSync(join(dir, 'checkpoints', 'p', 'epoch-0001', 'tensors.bin'))).to.equal(true);
  });

  it('resumes from the last checkpoint with weights, RNG state and extra state restored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lf-tl-'));
    const model = tinyModel();
    const rng = Rng.fromSeed(5);
    let beta = 1;
    await runTrainingLoop({
      ctx: ctx(dir), phase: 'p', epochs: 2, stepsPerEpoch: 2, models: { m: model }, optimizers: {}, rngs: { r: rng },
      step: () => { rng.random(); beta += 1; model.setWeights(model.getWeights().map((w) => tf.add(w, 1))); return { loss: 1 }; },
      saveState: () => ({ beta }),
    });
    const w = Array.from(model.getWeights()[0].dataSync());
    const next = rng.random();
    const model2 = tinyModel();
    const rng2 = Rng.fromSeed(5);
    let beta2 = 0;
    const h = await runTrainingLoop({
      ctx: ctx(dir, true), phase: 'p', epochs: 2, stepsPerEpoch: 2, models: { m: model2 }, optimizers: {}, rngs: { r: rng2 },
      step: () => { throw new Error('no step should run'); }, loadState: (s) => { beta2 = s.beta as number; },
    });
    expect(h.skipped).to.equal(true);
    expect(Array.from(model2.getWeights()[0].dataSync())).to.deep.equal(w);
    expect(rng2.random()).to.equal(next);
    expect(beta2).to.equal(5);
  });

  it('decays the learning rate on a half cosine', () => {
    expect(scheduledLr(0.1, 'cosine', 0)).to.equal(0.1);
    expect(scheduledLr(0.1, 'cosine', 0.5)).to.be.closeTo(0.05, 1e-12);
    expect(scheduledLr(0.1, 'cosine', 1)).to.be.closeTo(0, 1e-12);
    expect(scheduledLr(0.1, 'constant', 0.7)).to.equal(0.1);
  });
});
