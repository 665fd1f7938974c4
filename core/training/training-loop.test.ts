import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger } from '../di/logger.js';
import { SilentProgress } from '../di/progress.js';
import { RunDir } from '../io/run-dir.js';
import { Rng } from '../tensor/rng.js';
import { TrainSchema } from '../experiment/config-schema.js';
import { runTrainingLoop, type TrainingLoopOptions } from './training-loop.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

function ctx(dir: string, resume = false): TrainingLoopOptions['ctx'] {
  return {
    train: TrainSchema.parse({ checkpointEvery: 1 }), runDir: new RunDir(dir),
    logger: new MemoryLogger(), progress: new SilentProgress(), resume, tag: 't',
  };
}

function tinyModel(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: tf.initializers.constant({ value: 0.5 }) }));
  return m;
}

const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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

  describe('resume from verified checkpoints', () => {
    /** Train 3 epochs (checkpoints epoch-0001 and epoch-0002 kept); weights += 1 per step. */
    async function trained() {
      const dir = mkdtempSync(join(tmpdir(), 'lf-tl-'));
      const model = tinyModel();
      await runTrainingLoop({
        ctx: ctx(dir), phase: 'p', epochs: 3, stepsPerEpoch: 2, models: { m: model }, optimizers: {},
        step: () => { model.setWeights(model.getWeights().map((w) => tf.add(w, 1))); return { loss: 1 }; },
      });
      const ck = (tag: string, f: string) => join(dir, 'checkpoints', 'p', tag, f);
      return { dir, ck, weights: Array.from(model.getWeights()[0].dataSync()) };
    }
    const resumeRun = async (dir: string, epochs: number, step: (e: number, s: number) => Record<string, number> = () => ({ loss: 1 })) => {
      const c = ctx(dir, true);
      const model = tinyModel();
      const steps: number[] = [];
      const err = await runTrainingLoop({
        ctx: c, phase: 'p', epochs, stepsPerEpoch: 2, models: { m: model }, optimizers: {},
        step: (e, s) => { steps.push(e); model.setWeights(model.getWeights().map((w) => tf.add(w, 1))); return step(e, s); },
      }).then(() => undefined, (e: Error) => e);
      return { err, steps, lines: (c.logger as MemoryLogger).lines, weights: Array.from(model.getWeights()[0].dataSync()) };
    };

    it('a damaged latest checkpoint: resumes from the previous intact one with a warning and ends identical', async () => {
      const { dir, ck, weights } = await trained();
      const p = ck('epoch-0002', 'tensors.bin');
      const bin = readFileSync(p);
      const expected = sha(bin);
      for (let i = 0; i < 4; i++) bin[i] ^= 0x55;
      writeFileSync(p, bin);
      const r = await resumeRun(dir, 3);
      expect(r.err).to.equal(undefined);
      expect(r.lines).to.include(`warning: [t] p: resuming from checkpoint epoch-0001, the newest intact one; skipped epoch-0002 (${p}: sha256 mismatch: expected ${expected}, got ${sha(bin)} (same size, ${bin.length} bytes); the file is damaged)`);
      expect(r.lines).to.include('[t] p: resuming at epoch 3/3');
      expect(r.steps).to.deep.equal([2, 2]);
      expect(r.weights).to.deep.equal(weights);
    });

    it('"epoch": "four" in state.json is refused naming the file and field; resume falls back', async () => {
      const { dir, ck } = await trained();
      const p = ck('epoch-0002', 'state.json');
      writeFileSync(p, readFileSync(p, 'utf8').replace('"epoch": 2', '"epoch": "four"'));
      const r = await resumeRun(dir, 3);
      expect(r.lines[0]).to.equal(`warning: [t] p: resuming from checkpoint epoch-0001, the newest intact one; skipped epoch-0002 (${p}: epoch: expected a non-negative integer, got "four")`);
      expect(r.steps).to.deep.equal([2, 2]);
    });

    it('a latest.json naming a missing tag falls back to the intact checkpoint instead of restarting', async () => {
      const { dir, weights } = await trained();
      const latest = join(dir, 'checkpoints', 'p', 'latest.json');
      writeFileSync(latest, JSON.stringify({ tag: 'epoch-0007' }));
      const r = await resumeRun(dir, 3);
      expect(r.lines[0]).to.equal(`warning: [t] p: resuming from checkpoint epoch-0002, the newest intact one; skipped epoch-0007 (${latest} names checkpoint "epoch-0007", which does not exist in ${join(dir, 'checkpoints', 'p')})`);
      expect(r.steps).to.deep.equal([]);
      expect(r.weights).to.deep.equal(weights);
    });

    it('a deleted latest.json: the run directory still counts as resumable and resume takes the newest checkpoint, with a warning', async () => {
      const { dir, weights } = await trained();
      const latest = join(dir, 'checkpoints', 'p', 'latest.json');
      rmSync(latest);
      expect(new RunDir(dir).hasCheckpoints()).to.equal(true);
      const r = await resumeRun(dir, 3);
      expect(r.lines[0]).to.equal(`warning: [t] p: resuming from checkpoint epoch-0002, the newest intact one; skipped latest.json (${latest}: missing)`);
      expect(r.weights).to.deep.equal(weights);
    });

    it('with no intact checkpoint it starts from scratch, naming what it rejected', async () => {
      const { dir, ck } = await trained();
      for (const t of ['epoch-0001', 'epoch-0002']) writeFileSync(ck(t, 'tensors.bin'), 'x');
      const r = await resumeRun(dir, 3);
      const d = join(dir, 'checkpoints', 'p');
      expect(r.lines[0]).to.match(new RegExp(`^warning: \\[t\\] p: no intact checkpoint in ${esc(d)}, starting from scratch; rejected epoch-0002 \\(${esc(ck('epoch-0002', 'tensors.bin'))}: size mismatch: expected 12 bytes, got 1 .*\\); epoch-0001 \\(${esc(ck('epoch-0001', 'tensors.bin'))}: size mismatch`));
      expect(r.steps).to.deep.equal([0, 0, 1, 1, 2, 2]);
      expect(new RunDir(dir).readRecords().map((rec) => rec.epoch)).to.deep.equal([0, 1, 2]);
    });

    it('after NaN bytes in the latest checkpoint, the NaN stop names the checkpoint it resumed from, not the damaged one', async () => {
      const { dir, ck } = await trained();
      const p = ck('epoch-0002', 'tensors.bin');
      const bin = readFileSync(p);
      bin.writeFloatLE(NaN, 0);
      writeFileSync(p, bin);
      const r = await resumeRun(dir, 5, (e, s) => ({ loss: e === 2 && s === 1 ? NaN : 1 }));
      expect(r.err?.name).to.equal('DivergenceError');
      expect(r.err?.message).to.equal(`p: loss became NaN at epoch 3, step 2; the last good checkpoint (epoch-0001) is kept in ${join(dir, 'checkpoints', 'p')}. Lower the learning rate or check the data for NaN/Inf.`);
    });

    it('refuses to save non-finite weights: stops with the divergence error naming the tensor and a verified checkpoint', async () => {
      const { dir } = await trained();
      const c = ctx(dir, true);
      const model = tinyModel();
      const err = await runTrainingLoop({
        ctx: c, phase: 'p', epochs: 5, stepsPerEpoch: 1, models: { m: model }, optimizers: {},
        step: () => { model.setWeights(model.getWeights().map((w) => tf.fill(w.shape, NaN))); return { loss: 1 }; },
      }).then(() => undefined, (e: Error) => e);
      expect(err?.name).to.equal('DivergenceError');
      expect(err?.message).to.equal(`p: tensor "model:m/0" holds NaN at index 0 after epoch 4, so checkpoint epoch-0003 was not saved; the last good checkpoint (epoch-0002) is kept in ${join(dir, 'checkpoints', 'p')}. Lower the learning rate or check the data for NaN/Inf.`);
      expect(existsSync(join(dir, 'checkpoints', 'p', 'epoch-0003'))).to.equal(false);
    });
  });

  it('a damaged line in the middle of metrics.jsonl is restored from the checkpoint history on resume, with a warning', async () => {
    const strip = (dir: string) => readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n')
      .map((l) => { const r = JSON.parse(l) as Record<string, unknown>; delete r.time; delete r.seconds; delete r.msPerStep; return r; });
    const loop = (dir: string, epochs: number, resume: boolean, logger = new MemoryLogger()) => runTrainingLoop({
      ctx: { ...ctx(dir, resume), logger }, phase: 'p', epochs, stepsPerEpoch: 2, models: { m: tinyModel() }, optimizers: {},
      step: (e, s) => ({ loss: 1 / (e + 1) + s / 8 }),
    });
    const ref = mkdtempSync(join(tmpdir(), 'lf-tl-'));
    await loop(ref, 5, false);
    const dir = mkdtempSync(join(tmpdir(), 'lf-tl-'));
    await loop(dir, 3, false);
    const p = join(dir, 'metrics.jsonl');
    const lines = readFileSync(p, 'utf8').split('\n');
    lines[1] = lines[1].slice(0, 20);
    writeFileSync(p, lines.join('\n'));
    const logger = new MemoryLogger();
    await loop(dir, 5, true, logger);
    expect(strip(dir)).to.deep.equal(strip(ref));
    expect(logger.lines.join('\n')).to.contain(`[t] p: ${p}: damaged line 2; the records of phase "p" epochs 0..2 were restored from the checkpoint's history`);
  });

  it('a torn last line of metrics.jsonl (killed mid-write) is dropped without a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lf-tl-'));
    const loop = (epochs: number, resume: boolean, logger = new MemoryLogger()) => runTrainingLoop({
      ctx: { ...ctx(dir, resume), logger }, phase: 'p', epochs, stepsPerEpoch: 2, models: { m: tinyModel() }, optimizers: {},
      step: (e) => ({ loss: 1 / (e + 1) }),
    });
    await loop(2, false);
    writeFileSync(join(dir, 'metrics.jsonl'), readFileSync(join(dir, 'metrics.jsonl'), 'utf8') + '{"time":"2026-');
    const logger = new MemoryLogger();
    await loop(4, true, logger);
    const epochs = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { epoch: number }).epoch);
    expect(epochs).to.deep.equal([0, 1, 2, 3]);
    expect(logger.lines.join('\n')).to.not.contain('restored');
  });
});
