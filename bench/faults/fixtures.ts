/**
 * The experiments the benchmark runs (all tiny) and their uninterrupted references, computed once
 * per invocation on demand.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, runCli, type CliResult } from './process-runner.js';
import type { SeededRng } from './seeded-rng.js';

export const BLOBS = join(REPO, 'examples', 'custom-plugin', 'experiment.yaml');
export const LENS_DATA = join(REPO, 'examples', 'lensiam-data.yaml');
export const CHECKSUM_PLUGIN = join(REPO, 'dist', 'bench', 'faults', 'checksum-plugin.js');

/** A `run` experiment: config + overrides. */
export interface RunFixture { name: string; config: string; sets: string[]; epochs: number; phases: string[] }

export function runArgs(f: RunFixture, out: string, extra: string[] = []): string[] {
  return ['run', f.config, '--out', out, ...f.sets.flatMap((s) => ['--set', s]), ...extra];
}

export interface Ctx {
  root: string;
  seed: number;
  rng: SeededRng;
  quick: boolean;
  log(msg: string): void;
  /** A fresh folder for one case. */
  caseDir(id: string): string;
  fixtures: Fixtures;
  /** Cleanups to run when the benchmark is interrupted (SIGINT/SIGTERM), e.g. unmounting the tmpfs. */
  onAbort: Array<() => void>;
}

export interface RunRef { dir: string; result: CliResult; lines: number }

const memo = <T>(f: () => Promise<T>) => { let p: Promise<T> | undefined; return () => (p ??= f()); };

export function lensRunConfig(root: string): string {
  const p = join(root, 'configs', 'tiny-lens.yaml');
  mkdirSync(join(root, 'configs'), { recursive: true });
  writeFileSync(p, `# SimSiam/LenSiam on 16x16 strong lenses, tiny ResNet-18 (width 4), SGD: ~10 s on wasm
name: faults-tiny-lens
seed: 3
backend: auto
data: { use: lensing/strong-lens, numPix: 16, deltaPix: 0.3 }
augment: { use: lensing/lens-pair }
model:
  encoder: { use: encoders/resnet, depth: 18, width: 4, stem: stride2 }
  method:
    use: simsiam/simsiam
    projector: { hidden: 16, out: 16, layers: 2 }
    predictor: { bottleneck: 8 }
    evaluation: { size: 32 }
    downstream: { target: theta_E, trainSize: 32, testSize: 32, epochs: 2, batchSize: 16 }
loss: { use: simsiam/neg-cosine }
train:
  epochs: 3
  batchSize: 16
  trainSize: 64
  optimizer: { name: sgd, lr: 0.05, momentum: 0.9 }
  schedule: cosine
evaluate:
  - { use: simsiam/knn-r2, k: 5, folds: 2, labels: [theta_E] }
`);
  return p;
}

/** A run reading a dataset through io/dataset with a method that fingerprints every sample it reads. */
export function checksumConfig(root: string, dataset: string, id: string): string {
  const p = join(root, 'configs', `checksum-${id}.yaml`);
  mkdirSync(join(root, 'configs'), { recursive: true });
  writeFileSync(p, `name: faults-checksum
seed: 1
backend: cpu
plugins: [${JSON.stringify(CHECKSUM_PLUGIN)}]
data: { use: io/dataset, path: ${JSON.stringify(dataset)} }
model:
  method: { use: faults/checksum }
`);
  return p;
}

export const DATASET_SETS = ['data.numPix=32', 'data.deltaPix=0.16', 'simulate.count=96', 'simulate.shardSize=16', 'simulate.plotSamples=4'];
export function simulateArgs(out: string, workers: number): string[] {
  return ['simulate', LENS_DATA, '--out', out, '--workers', String(workers), ...DATASET_SETS.flatMap((s) => ['--set', s])];
}

export class Fixtures {
  readonly blobs: RunFixture = { name: 'blobs', config: BLOBS, sets: ['train.epochs=8'], epochs: 8, phases: ['train'] };
  /** Longer, for concurrent writers (both must overlap). */
  readonly blobsLong: RunFixture = { name: 'blobs-12', config: BLOBS, sets: ['train.epochs=12'], epochs: 12, phases: ['train'] };
  readonly lens: RunFixture;
  readonly benchSets = ['train.epochs=4'];

  constructor(private readonly root: string, private readonly log: (m: string) => void) {
    this.lens = { name: 'tiny-lens', config: lensRunConfig(root), sets: [], epochs: 3, phases: ['pretrain', 'downstream'] };
  }

  private async refRun(f: RunFixture, tag: string): Promise<RunRef> {
    const dir = join(this.root, 'refs', `${f.name}-${tag}`);
    this.log(`reference: run ${f.name} (${tag})`);
    const result = await runCli(runArgs(f, dir));
    if (result.exitCode !== 0) throw new Error(`reference run ${f.name} failed (exit ${result.exitCode}): ${result.stderrTail}`);
    return { dir, result, lines: (result.stdout + result.stderr).split('\n').length - 1 };
  }

  private readonly refs = new Map<string, () => Promise<RunRef>>();
  ref(f: RunFixture, tag = 'a'): Promise<RunRef> {
    const k = `${f.name}/${tag}`;
    if (!this.refs.has(k)) this.refs.set(k, memo(() => this.refRun(f, tag)));
    return (this.refs.get(k) as () => Promise<RunRef>)();
  }

  readonly benchRef = memo(async () => {
    const dir = join(this.root, 'refs', 'bench');
    this.log('reference: bench blobs 2 variants x 2 seeds');
    const result = await runCli(['bench', BLOBS, '--out', dir, ...this.benchSets.flatMap((s) => ['--set', s])]);
    if (result.exitCode !== 0) throw new Error(`reference bench failed (exit ${result.exitCode}): ${result.stderrTail}`);
    return { dir, result, lines: (result.stdout + result.stderr).split('\n').length - 1 };
  });

  private readonly dsRefs = new Map<number, () => Promise<RunRef>>();
  datasetRef(workers: number): Promise<RunRef> {
    if (!this.dsRefs.has(workers)) {
      this.dsRefs.set(workers, memo(async () => {
        const dir = join(this.root, 'refs', `dataset-w${workers}`);
        this.log(`reference: simulate lensing dataset (--workers ${workers})`);
        const result = await runCli(simulateArgs(dir, workers));
        if (result.exitCode !== 0) throw new Error(`reference simulate failed (exit ${result.exitCode}): ${result.stderrTail}`);
        return { dir, result, lines: (result.stdout + result.stderr).split('\n').length - 1 };
      }));
    }
    return (this.dsRefs.get(workers) as () => Promise<RunRef>)();
  }

  /** The checksum run on the intact dataset. */
  readonly checksumRef = memo(async () => {
    const ds = await this.datasetRef(1);
    const dir = join(this.root, 'refs', 'checksum');
    const result = await runCli(['run', checksumConfig(this.root, ds.dir, 'ref'), '--out', dir]);
    if (result.exitCode !== 0) throw new Error(`reference checksum run failed (exit ${result.exitCode}): ${result.stderrTail}`);
    return { dir, result, lines: 0 };
  });

  /**
   * An interrupted blobs run: killed (deterministically, as soon as checkpoint epoch-0003 exists)
   * while training epoch 5 of 8. Corruption cases start from copies of it.
   */
  readonly midRun = memo(async () => {
    const dir = join(this.root, 'refs', 'blobs-mid');
    this.log('snapshot: interrupted blobs run');
    const result = await runCli(runArgs(this.blobs, dir), { trigger: { kind: 'file', dir, pattern: /^checkpoints\/train\/epoch-0003\/state\.json$/, nth: 1, delayMs: 0 } });
    if (!result.killedByHarness) throw new Error(`could not interrupt the blobs run (exit ${result.exitCode})`);
    return { dir, result, lines: 0 };
  });

  copy(from: string, to: string): string {
    cpSync(from, to, { recursive: true });
    return to;
  }
}

/** Tag in checkpoints/<phase>/latest.json, if readable. */
export function epochOfTag(tag: string | undefined): number | undefined {
  const m = tag ? /epoch-(\d+)/.exec(tag) : null;
  return m ? Number(m[1]) : undefined;
}
