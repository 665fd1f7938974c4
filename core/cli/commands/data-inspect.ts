import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { TOKENS } from '../../di/tokens.js';
import { provide } from '../../di/token.js';
import type { Simulator } from '../../contracts/simulator.js';
import { loadExperiment } from '../../experiment/load-config.js';
import { ComponentFactory } from '../../registry/component-factory.js';
import type { Registry } from '../../registry/registry.js';
import { Rng } from '../../tensor/rng.js';
import { writeImageGridPng } from '../../io/png.js';
import { ImageFilesSimulator, prepareImageReaders } from '../../dataset/image-files-simulator.js';

export interface DataInspectReport {
  source: string;
  component: string;
  count: number;
  splits: Record<string, number>;
  shape: readonly number[];
  dtypes: string[];
  scanned: number;
  raw?: { min: number; max: number; nanPixels: number; imagesWithNaN: number };
  processed: { min: number; max: number; mean: number };
  labels: string[];
  png?: string;
}

/**
 * `lensforge data inspect CONFIG|PATH`: what a config's `data` (or a file / folder read by
 * io/images with default options) holds — count per split, shape, source dtypes, value range
 * before and after preprocessing, NaN pixels, label columns — and a preview PNG grid.
 */
export async function inspectData(target: string, registry: Registry, o: { png?: string; max?: number; previews?: number } = {}): Promise<DataInspectReport> {
  const isConfig = /\.(ya?ml|json)$/i.test(target);
  let sim: Simulator;
  let component: string;
  if (isConfig) {
    const loaded = await loadExperiment(target, registry);
    await prepareImageReaders(loaded.raw, loaded.baseDir);
    const factory = new ComponentFactory(registry, Rng.fromSeed(loaded.config.seed));
    provide(factory.container, TOKENS.BaseDir, loaded.baseDir);
    sim = factory.build<Simulator>(loaded.components.data);
    component = loaded.components.data.component.name;
  } else {
    const spec = { use: 'io/images', path: resolve(target) };
    await prepareImageReaders(spec);
    sim = new ComponentFactory(registry, Rng.fromSeed(1)).create<Simulator>('simulator', spec, 'data');
    component = 'io/images';
  }
  const [h, w, c] = sim.imageShape;
  const report: DataInspectReport = { source: target, component, count: 0, splits: {}, shape: sim.imageShape, dtypes: [], scanned: 0, processed: { min: Infinity, max: -Infinity, mean: 0 }, labels: [...sim.labelNames] };
  const previews: Float32Array[] = [];
  const nPrev = o.previews ?? 16;
  const max = o.max ?? Infinity;
  let sum = 0, nvals = 0;
  const take = (img: Float32Array) => {
    for (let i = 0; i < img.length; i++) {
      const v = img[i];
      if (v < report.processed.min) report.processed.min = v;
      if (v > report.processed.max) report.processed.max = v;
      sum += v; nvals++;
    }
    if (previews.length < nPrev) previews.push(Float32Array.from({ length: h * w }, (_, i) => img[i * c]));
  };
  if (sim instanceof ImageFilesSimulator) {
    const set = sim.set;
    for (const [k, v] of set.splits) report.splits[k] = v.length;
    report.count = set.entries.length;
    const raw = { min: Infinity, max: -Infinity, nanPixels: 0, imagesWithNaN: 0 };
    const dtypes = new Set<string>();
    const n = Math.min(max, set.entries.length);
    for (let k = 0; k < n; k++) {
      const r = set.readRaw(set.entries[k]);
      dtypes.add(r.dtype);
      let bad = 0;
      for (let i = 0; i < r.image.length; i++) {
        const v = r.image[i];
        if (!Number.isFinite(v)) { bad++; continue; }
        if (v < raw.min) raw.min = v;
        if (v > raw.max) raw.max = v;
      }
      raw.nanPixels += bad;
      if (bad) raw.imagesWithNaN++;
      if (!bad || set.nanPolicy !== 'error') take(set.processed(k));
      report.scanned++;
    }
    report.raw = raw;
    report.dtypes = [...dtypes];
  } else {
    report.count = sim.size;
    report.splits = { train: sim.size };
    report.dtypes = ['float32'];
    const n = Math.min(Number.isFinite(max) ? max : 256, sim.size);
    for (let i = 0; i < n; i++) { take(sim.sample(i, 'train').image); report.scanned++; }
  }
  report.processed.mean = nvals ? sum / nvals : NaN;
  if (previews.length) {
    const png = resolve(o.png ?? `${basename(target).replace(/\.(ya?ml|json)$/i, '').replace(/\.(fits|fit|fts)(\.gz)?$|\.npy$|\.h5$|\.hdf5$/i, '') || 'data'}-preview.png`);
    writeImageGridPng(png, previews, h, w, { cols: Math.min(8, previews.length), scale: Math.max(1, Math.round(64 / Math.max(h, w))), stretch: 'per-image' });
    report.png = png;
  }
  return report;
}

function fmt(x: number): string { return Number.isFinite(x) ? (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(4) : String(+x.toPrecision(6))) : String(x); }

export function formatReport(r: DataInspectReport): string {
  const lines = [
    `data: ${r.source} (${r.component})`,
    `images: ${r.count} (${Object.entries(r.splits).map(([k, v]) => `${k} ${v}`).join(', ')})`,
    `shape: ${r.shape.join(' x ')} (height x width x channels)`,
    `dtypes: ${r.dtypes.join('; ')} -> float32`,
  ];
  if (r.raw) {
    lines.push(`values in the files: ${fmt(r.raw.min)} .. ${fmt(r.raw.max)} (finite; ${r.scanned} images scanned)`);
    lines.push(`NaN/Inf pixels: ${r.raw.nanPixels} in ${r.raw.imagesWithNaN} image(s)`);
  }
  lines.push(`after preprocessing: ${fmt(r.processed.min)} .. ${fmt(r.processed.max)}, mean ${fmt(r.processed.mean)}`);
  lines.push(`labels: ${r.labels.length ? r.labels.join(', ') : '(none)'}`);
  if (r.png) lines.push(`preview: ${r.png}`);
  return lines.join('\n');
}

/** Register `lensforge data inspect`. */
export function addDataCommands(program: Command, registry: Registry): void {
  const data = program.command('data').description('look at the data a config (or a file / folder) provides');
  data.command('inspect <target>').description('CONFIG|PATH: count, shapes, dtypes, value range, NaN pixels, label columns and a preview PNG grid')
    .option('--png <file>', 'preview PNG (default ./<name>-preview.png)')
    .option('--max <n>', 'scan at most n images (default all)')
    .option('--json', 'machine-readable output')
    .action(async (target: string, opts: { png?: string; max?: string; json?: boolean }) => {
      const max = opts.max === undefined ? undefined : Number(opts.max);
      if (max !== undefined && !(Number.isInteger(max) && max >= 1)) throw new ConfigError([{ path: '--max', message: `expected a positive integer, got "${opts.max}"` }]);
      const r = await inspectData(target, registry, { png: opts.png, max });
      console.log(opts.json ? JSON.stringify(r, null, 2) : formatReport(r));
    });
}
