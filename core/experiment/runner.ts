import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { container as rootContainer } from 'tsyringe';
import { LensforgeError } from '../errors.js';
import { TOKENS } from '../di/tokens.js';
import { provide, provideAll, type AnyServiceBinding } from '../di/token.js';
import { ConsoleLogger, type Logger } from '../di/logger.js';
import { TerminalProgress, type ProgressReporter } from '../di/progress.js';
import { RunDir } from '../io/run-dir.js';
import { acquireDirLock, type DirLock } from '../io/dir-lock.js';
import { removeStaleTemps, runDirTempFolders } from '../io/stale-temps.js';
import { ComponentFactory } from '../registry/component-factory.js';
import type { Registry, ResolvedSpec } from '../registry/registry.js';
import { Rng } from '../tensor/rng.js';
import { selectBackend } from '../tensor/backend.js';
import { methodResult, type Augmenter, type Encoder, type LossBase, type Method, type Metric, type RunMetrics, type RunTimings, type Simulator } from '../contracts/index.js';
import type { LoadedExperiment } from './load-config.js';
import { stableHash } from './stable-hash.js';
import { versions } from './versions.js';
import { isFinishedRun, moveRunAside, readStoredRun, storedRunMismatch } from './run-dir-guard.js';
import { prepareImageReaders } from '../dataset/image-files-simulator.js';
import { TrainingService } from '../training/training-service.js';

export interface RunOptions {
  registry: Registry;
  /** Run directory (default `runs/<name>`). */
  out?: string;
  /** Continue from the last checkpoint in `out` (a directory of another configuration is refused unless `overwrite`). */
  resume?: boolean;
  /**
   * Allow replacing the run in `out`: a run of another configuration (or, without `resume`, of
   * the same one) is moved aside whole to `<out>.replaced-<time>` and the run starts over in a
   * clean directory.
   */
  overwrite?: boolean;
  logger?: Logger;
  progress?: ProgressReporter;
  /** Label for figures and tables (bench variant). */
  tag?: string;
  /**
   * Extra services registered before components are built (tests swap services here); make each
   * with `binding(TOKENS.Logger, logger)`, which checks the value against the token's type.
   */
  services?: readonly AnyServiceBinding[];
}

export interface RunResult { runDir: RunDir; metrics: RunMetrics; timings: RunTimings; summary: Summary }

export interface Summary {
  name: string;
  tag: string;
  seed: number;
  configHash: string;
  backend: string;
  /** The method's metrics: bit-identical for the same config, seed and backend. */
  metrics: RunMetrics;
  /** The method's wall-clock measurements (ms per step ...), kept out of `metrics`. */
  timings: RunTimings;
  wallSeconds: number;
  finishedAt: string;
}

/** The part of a loaded experiment that defines a run (what resume and caching compare). */
export function resolvedConfig(loaded: LoadedExperiment): Record<string, unknown> {
  const spec = (s?: ResolvedSpec) => (s ? { use: s.component.name, ...s.options } : undefined);
  const c = loaded.config;
  const comps = loaded.components;
  return {
    name: c.name, seed: c.seed, backend: c.backend, plugins: c.plugins,
    data: spec(comps.data), augment: spec(comps.augment),
    model: { encoder: spec(comps.encoder), method: spec(comps.method) },
    loss: spec(comps.loss), train: c.train, evaluate: comps.evaluate.map(spec),
  };
}

/** Hash of what defines a run's numbers (the cosmetic `name` is left out, so renamed configs re-use runs). */
export function configHashOf(loaded: LoadedExperiment): string {
  return stableHash({ ...resolvedConfig(loaded), name: undefined });
}

/**
 * Build every component of a validated experiment through the registry and run its method,
 * writing config.resolved.json, metrics.jsonl, checkpoints/, plots/ and summary.json (`metrics`
 * and, apart, `timings`). One writer per run directory: the run holds the directory's lock
 * (`lensforge.lock`) throughout, removes temp files that killed writers left, and checks the
 * stored config hash before re-using the directory (see `prepareRunDir`).
 */
export async function runExperiment(loaded: LoadedExperiment, opts: RunOptions): Promise<RunResult> {
  const logger = opts.logger ?? new ConsoleLogger();
  const cfg = loaded.config;
  const outPath = resolve(opts.out ?? join('runs', cfg.name));
  let lock = acquireDirLock(outPath, { what: 'run directory', logger });
  try {
    removeStaleTemps(outPath, runDirTempFolders(outPath), logger);
    const prepared = prepareRunDir(outPath, lock, loaded, opts, logger);
    lock = prepared.lock;
    return await runInDir(loaded, opts, outPath, prepared.resume, logger);
  } finally {
    lock.release();
  }
}

/**
 * Compare what `dir` holds with this run's config before re-using it: a run of another
 * configuration is refused (naming both hashes and the differing keys) unless `overwrite`, which
 * moves it aside whole; a run of this configuration is continued with `resume`, moved aside with
 * `overwrite`, and refused otherwise. Returns the lock to hold (a new one after a move) and
 * whether to resume.
 */
function prepareRunDir(dir: string, lock: DirLock, loaded: LoadedExperiment, opts: RunOptions, logger: Logger): { lock: DirLock; resume: boolean } {
  const stored = readStoredRun(dir);
  if (!stored) return { lock, resume: false };
  const hash = configHashOf(loaded);
  const label = `[${opts.tag ?? loaded.config.name}]`;
  const mismatch = storedRunMismatch(stored, hash, resolvedConfig(loaded));
  if (mismatch && !opts.overwrite) {
    throw new LensforgeError(`run directory ${dir} ${mismatch}. Pass --overwrite to move the old run aside (whole) and start over, or --out DIR for a new run directory`);
  }
  if (!mismatch && opts.resume) return { lock, resume: true };
  if (!mismatch && !opts.overwrite) {
    throw new LensforgeError(`run directory ${dir} already holds a ${isFinishedRun(stored, hash) ? 'finished' : 'interrupted'} run of this configuration (hash ${hash}); ` +
      'pass --resume to continue it, --overwrite to move it aside and start over, or --out DIR for a new one');
  }
  const moved = moveRunAside(dir, lock, 'run directory', logger);
  logger.info(`${label} --overwrite: moved the old run in ${dir} aside, whole, to ${moved.aside}` +
    `${mismatch ? ` (it ${mismatch.replace(/^holds/, 'held')})` : ''}; starting over in a clean directory`);
  return { lock: moved.lock, resume: false };
}

async function runInDir(loaded: LoadedExperiment, opts: RunOptions, outPath: string, resumeAllowed: boolean, logger: Logger): Promise<RunResult> {
  const t0 = Date.now();
  const progress = opts.progress ?? new TerminalProgress();
  const cfg = loaded.config;
  const resolved = resolvedConfig(loaded);
  const configHash = configHashOf(loaded);
  const runDir = new RunDir(outPath);
  const resume = resumeAllowed && runDir.hasCheckpoints();
  if (!resume) runDir.truncateRecords(() => false);

  const backend = await selectBackend(cfg.backend, { log: (m) => logger.debug(m) });
  logger.info(`[${opts.tag ?? cfg.name}] backend ${backend.kind} (${tf.getBackend()}), seed ${cfg.seed}, run dir ${runDir.path}${resume ? ' (resuming)' : ''}`);

  runDir.writeJson('config.resolved.json', {
    ...resolved, configHash, source: loaded.source, baseDir: loaded.baseDir, versions: versions(), backendSelected: backend.kind,
    createdAt: new Date().toISOString(),
  });

  const rootRng = Rng.fromSeed(cfg.seed);
  const container = rootContainer.createChildContainer();
  provide(container, TOKENS.Logger, logger);
  provide(container, TOKENS.Progress, progress);
  provide(container, TOKENS.RunDir, runDir);
  provide(container, TOKENS.Backend, backend);
  provide(container, TOKENS.BaseDir, loaded.baseDir);
  provideAll(container, opts.services ?? []);
  await prepareImageReaders(loaded.raw, loaded.baseDir);
  const factory = new ComponentFactory(opts.registry, rootRng, container);
  const c = loaded.components;
  const method = factory.build<Method>(c.method);
  const metrics = c.evaluate.map((m) => ({ name: m.component.name, path: m.path, metric: factory.build<Metric>(m) }));
  const methodRng = rootRng.derive('method');
  const tag = opts.tag ?? cfg.name;
  const training = new TrainingService({ factory, train: cfg.train, runDir, logger, progress, resume, tag, metrics, rng: methodRng, method: c.method.component.name });
  const result = methodResult(await method.run({
    data: factory.build<Simulator>(c.data),
    augment: c.augment ? factory.build<Augmenter>(c.augment) : undefined,
    encoder: c.encoder ? factory.build<Encoder>(c.encoder) : undefined,
    loss: c.loss ? factory.build<LossBase>(c.loss) : undefined,
    metrics,
    train: cfg.train,
    runDir,
    rng: methodRng,
    logger, progress, resume, tag, training,
  }));
  for (const [part, values] of Object.entries(result)) {
    for (const [k, v] of Object.entries(values)) {
      if (typeof v !== 'number') throw new LensforgeError(`${c.method.path} (${c.method.component.name}) returned ${part} "${k}" = ${JSON.stringify(v)}: expected a number`);
    }
  }
  const summary: Summary = {
    name: cfg.name, tag: opts.tag ?? cfg.name, seed: cfg.seed, configHash, backend: backend.kind,
    metrics: result.metrics, timings: result.timings, wallSeconds: (Date.now() - t0) / 1000, finishedAt: new Date().toISOString(),
  };
  runDir.writeJson('summary.json', summary);
  return { runDir, metrics: result.metrics, timings: result.timings, summary };
}
