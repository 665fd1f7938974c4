/**
 * `npm run bench:embed`: `lensforge embed` over 100,000 64x64 cutouts read from files — 100
 * `.npy` stacks of 1,000 float32 images each (1.64 GB), written once into a temp folder — with
 * a tiny SimSiam run trained at 64x64 on the first stack (encoders/small-cnn width 8, 1 epoch).
 * The embed command runs as a child under `/usr/bin/time -v` (peak RSS of the child, its wall
 * time); embed itself prints the seconds spent reading images vs in the encoder. With
 * `--fits N` it also embeds N images written one FITS file each. Writes bench-results/embed.json.
 * A measurement, not a test: the machine's load average is recorded beside the figures.
 * Usage: node dist/bench/embed.bench.js [--count 100000] [--per-file 1000] [--batch 256] [--fits 10000] [--keep]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { encodeFits, encodeNpy, Rng, writeJsonAtomic } from '../core/index.js';

const BIN = resolve('dist/core/cli/bin.js');
const SIDE = 64;

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

/** Image k: a Gaussian blob of random position, width and amplitude plus noise (deterministic in k). */
function cutout(k: number, out: Float32Array, off: number): void {
  const r = Rng.fromSeed(k);
  const cx = r.uniform(20, 44), cy = r.uniform(20, 44), s = r.uniform(2, 8), a = r.uniform(0.5, 2);
  for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) {
    out[off + y * SIDE + x] = a * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s * s)) + 0.05 * r.normal();
  }
}

function writeStacks(dir: string, count: number, perFile: number): number {
  const t0 = performance.now();
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f * perFile < count; f++) {
    const n = Math.min(perFile, count - f * perFile);
    const buf = new Float32Array(n * SIDE * SIDE);
    for (let i = 0; i < n; i++) cutout(f * perFile + i, buf, i * SIDE * SIDE);
    writeFileSync(join(dir, `stack-${String(f).padStart(4, '0')}.npy`), encodeNpy(buf, [n, SIDE, SIDE]));
  }
  return (performance.now() - t0) / 1000;
}

function writeFitsFiles(dir: string, count: number): number {
  const t0 = performance.now();
  mkdirSync(dir, { recursive: true });
  const buf = new Float32Array(SIDE * SIDE);
  for (let k = 0; k < count; k++) {
    cutout(k, buf, 0);
    const fd = openSync(join(dir, `obj${String(k).padStart(6, '0')}.fits`), 'w');
    writeSync(fd, encodeFits(buf, [SIDE, SIDE]));
    closeSync(fd);
  }
  return (performance.now() - t0) / 1000;
}

function run(args: string[], label: string): string {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${label}: exit ${r.status}\n${r.stderr.slice(-3000)}`);
  return r.stdout;
}

/** `lensforge embed` under /usr/bin/time -v: wall, peak RSS, and embed's own load/compute split. */
function timedEmbed(runDir: string, data: string, out: string, batch: number) {
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, BIN, 'embed', runDir, data, '--out', out, '--batch', String(batch), '--no-umap'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`embed ${data}: exit ${r.status}\n${r.stderr.slice(-3000)}`);
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(r.stderr)?.[1] ?? '';
  const wallSeconds = wall.split(':').reduce((a, p) => a * 60 + Number(p), 0);
  const m = /time: reading images ([\d.]+) s, encoder ([\d.]+) s/.exec(r.stdout);
  const n = Number(/float32 \[(\d+), (\d+)\]/.exec(r.stdout)?.[1]);
  const loadSeconds = Number(m?.[1]), computeSeconds = Number(m?.[2]);
  return { images: n, wallSeconds, imagesPerSecond: n / wallSeconds, peakRssMB: rssKb / 1024, loadSeconds, computeSeconds, encoderImagesPerSecond: n / computeSeconds, otherSeconds: wallSeconds - loadSeconds - computeSeconds };
}

async function main(): Promise<void> {
  const count = arg('count', 100000), perFile = arg('per-file', 1000), batch = arg('batch', 256), fits = arg('fits', 0);
  const work = mkdtempSync(join(tmpdir(), 'lf-embed-bench-'));
  const load0 = loadavg();
  try {
    const stacks = join(work, 'stacks');
    const writeSeconds = writeStacks(stacks, count, perFile);
    console.log(`wrote ${count} cutouts as ${Math.ceil(count / perFile)} .npy stacks in ${writeSeconds.toFixed(1)} s`);
    const cfg = join(work, 'simsiam.json');
    writeFileSync(cfg, JSON.stringify({
      name: 'embed-bench', seed: 1, backend: 'auto',
      data: { use: 'io/images', path: join(stacks, 'stack-0000.npy'), normalize: 'none', split: { by: 'fraction', fractions: { train: 0.9, eval: 0.1 }, seed: 0 } },
      augment: { use: 'simsiam/default', crop: { scale: [0.6, 1] } },
      model: { encoder: { use: 'encoders/small-cnn', width: 8 }, method: { use: 'simsiam/simsiam', projector: { hidden: 32, out: 32 }, predictor: { bottleneck: 16 }, evaluation: { size: 10 }, downstream: false } },
      loss: { use: 'simsiam/neg-cosine' },
      train: { epochs: 1, batchSize: 32, trainSize: 128, optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 } }, evaluate: [],
    }));
    const runDir = join(work, 'run');
    const t0 = performance.now();
    run(['run', cfg, '--out', runDir], 'train');
    const trainSeconds = (performance.now() - t0) / 1000;
    console.log(`trained the SimSiam run in ${trainSeconds.toFixed(1)} s`);
    const npy = timedEmbed(runDir, stacks, join(work, 'emb.npy'), batch);
    console.log(`npy stacks: ${JSON.stringify(npy)}`);
    let fitsResult: unknown = null;
    if (fits > 0) {
      const fdir = join(work, 'fits');
      const fw = writeFitsFiles(fdir, fits);
      fitsResult = { writeSeconds: fw, ...timedEmbed(runDir, fdir, join(work, 'emb-fits.npy'), batch) };
      console.log(`FITS files: ${JSON.stringify(fitsResult)}`);
    }
    const result = {
      what: `lensforge embed over ${count} ${SIDE}x${SIDE} float32 cutouts read from ${Math.ceil(count / perFile)} .npy stacks of ${perFile}; SimSiam (encoders/small-cnn width 8) trained 1 epoch at 64x64; --batch ${batch}`,
      measuredWith: '/usr/bin/time -v on the embed child (peak RSS = Maximum resident set size; wall = Elapsed); load/compute split printed by embed (seconds in data.image() vs model.predict)',
      date: new Date().toISOString(), cpus: cpus().length, loadAverageBefore: load0, loadAverageAfter: loadavg(),
      writeSeconds, trainSeconds, npyStacks: npy, fitsPerFile: fitsResult,
    };
    mkdirSync('bench-results', { recursive: true });
    writeJsonAtomic('bench-results/embed.json', result);
    console.log('bench-results/embed.json written');
  } finally {
    if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
    else if (existsSync(work)) console.log(`kept ${work}`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
