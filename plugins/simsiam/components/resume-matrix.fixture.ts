/**
 * Test fixture, run as its own process by simsiam-resume.test.ts (with LENSFORGE_NATIVE_THREADS=1:
 * the 2-thread native backend is not yet repeatable run to run, see the determinism work):
 *   node dist/plugins/simsiam/components/resume-matrix.fixture.js DIR
 * For every case: an uninterrupted run (DIR/<i>/full), then a run stopped in the middle of epoch 2
 * of one phase (a progress reporter that throws after that epoch's first step, so epoch 1's
 * checkpoint is the newest on disk), then the same run with resume. Writes DIR/results.json.
 */
import 'reflect-metadata';
import { mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testBackendRequest } from '../../../core/testing/test-backend.js';
import {
  createRegistry, MemoryLogger, runExperiment, SilentProgress, validateExperiment,
  type ProgressReporter, type ProgressTask,
} from '../../../core/index.js';
import { ringsPlugin } from './rings.fixture.js';
import { runFingerprint, type RunFingerprint } from './run-fingerprint.fixture.js';

export interface ResumeCase { name: string; pretrain: Record<string, unknown>; downstream: Record<string, unknown>; stopIn: 'pretrain' | 'downstream' }

const SGD = { use: 'core/sgd', lr: 0.05, momentum: 0.9, weightDecay: 1e-4 };
const ADAM = { use: 'core/adam', lr: 0.001 };
export const RESUME_CASES: ResumeCase[] = [
  { name: 'pre-training with core/sgd (Nesterov)', pretrain: { ...SGD, nesterov: true }, downstream: ADAM, stopIn: 'pretrain' },
  { name: 'pre-training with core/adam', pretrain: { use: 'core/adam', lr: 0.002, weightDecay: 1e-4 }, downstream: ADAM, stopIn: 'pretrain' },
  { name: 'pre-training with core/adamw', pretrain: { use: 'core/adamw', lr: 0.002, weightDecay: { value: 0.05, applyTo: 'kernels' } }, downstream: ADAM, stopIn: 'pretrain' },
  { name: 'pre-training with core/rmsprop', pretrain: { use: 'core/rmsprop', lr: 0.001, momentum: 0.5, centered: true }, downstream: ADAM, stopIn: 'pretrain' },
  { name: 'fine-tuning with core/adam', pretrain: SGD, downstream: ADAM, stopIn: 'downstream' },
  { name: 'fine-tuning with core/sgd', pretrain: SGD, downstream: { use: 'core/sgd', lr: 0.01, momentum: 0.9 }, stopIn: 'downstream' },
];

/** 3 pre-training epochs of 4 steps, then 3 fine-tuning epochs of 2 steps: tiny, but every optimizer slot and the schedule matter. */
const config = (c: ResumeCase) => ({
  name: 'simsiam-resume', seed: 11, backend: testBackendRequest(),
  data: { use: 'test/rings', size: 16 },
  augment: { use: 'simsiam/default', crop: { scale: [0.6, 1] } },
  model: {
    encoder: { use: 'encoders/small-cnn', width: 4 },
    method: {
      use: 'simsiam/simsiam', projector: { hidden: 32, out: 32 }, predictor: { bottleneck: 8 }, evaluation: { size: 40 },
      downstream: { target: 'radius', trainSize: 32, testSize: 32, epochs: 3, batchSize: 16, optimizer: c.downstream },
    },
  },
  loss: { use: 'simsiam/neg-cosine' },
  train: { epochs: 3, batchSize: 16, trainSize: 64, optimizer: c.pretrain, schedule: 'core/cosine' },
  evaluate: [{ use: 'simsiam/knn-r2', k: 5, folds: 4 }],
});

/** Throws on the `afterTicks`-th step of the epoch whose progress label contains `label`. */
class StopIn implements ProgressReporter {
  constructor(private readonly label: string, private readonly afterTicks: number) {}
  start(label: string): ProgressTask {
    let ticks = 0;
    const hit = label.includes(this.label);
    return { tick: () => { if (hit && ++ticks === this.afterTicks) throw new Error(`stopped in ${label}`); }, stop: () => {} };
  }
}

export interface ResumeResult {
  name: string;
  stopError?: string;
  summaryAfterStop: boolean;
  checkpointsAfterStop: string[];
  resumeLog: string[];
  full: RunFingerprint;
  resumed: RunFingerprint;
}

async function main(dir: string): Promise<void> {
  const reg = await createRegistry();
  reg.loadPlugin(ringsPlugin);
  const results: ResumeResult[] = [];
  for (const [i, c] of RESUME_CASES.entries()) {
    const d = join(dir, String(i));
    mkdirSync(d, { recursive: true });
    const cfg = validateExperiment(config(c), reg);
    await runExperiment(cfg, { registry: reg, logger: new MemoryLogger(), out: join(d, 'full'), progress: new SilentProgress() });
    const out = join(d, 'resumed');
    const err = await runExperiment(cfg, { registry: reg, logger: new MemoryLogger(), out, progress: new StopIn(`${c.stopIn} epoch 2/3`, 1) })
      .then(() => undefined, (e: Error) => e);
    const summaryAfterStop = existsSync(join(out, 'summary.json'));
    const checkpointsAfterStop = readdirSync(join(out, 'checkpoints', c.stopIn)).filter((t) => t.startsWith('epoch-')).sort();
    const logger = new MemoryLogger();
    await runExperiment(cfg, { registry: reg, logger, out, resume: true, progress: new SilentProgress() });
    results.push({ name: c.name, stopError: err?.message, summaryAfterStop, checkpointsAfterStop, resumeLog: logger.lines, full: runFingerprint(join(d, 'full')), resumed: runFingerprint(out) });
  }
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results, null, 1));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv[2]).catch((e: Error) => { console.error(e.stack ?? e.message); process.exit(1); });
}
