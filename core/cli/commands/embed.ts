import type { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import type { Logger } from '../../di/logger.js';
import { TerminalProgress } from '../../di/progress.js';
import type { Registry } from '../../registry/registry.js';
import { embedRun } from '../../export/embed-run.js';

/** A positive integer option, or a ConfigError naming it. */
export function positiveInt(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(Number.isInteger(n) && n >= 1)) throw new ConfigError([{ path: flag, message: `expected a positive integer, got "${v}"` }]);
  return n;
}

/** The DATA options shared by `embed` and `predict`. */
export function withDataOptions(c: Command): Command {
  return c.option('--split <name>', 'only this split of DATA (default: every image of io/images data, split "train" of a simulator)')
    .option('--labels <csv>', 'DATA is a path: labels CSV joined by object id (the file name without extension)')
    .option('--crop', "DATA is a path: centre-crop / zero-pad every image to the run's size")
    .option('--limit <n>', 'at most n images')
    .option('--batch <n>', 'images per batch (default 64)');
}

/** Register `lensforge embed RUN_DIR DATA --out emb.npy`. */
export function addEmbedCommand(program: Command, registry: Registry, logger: Logger): void {
  withDataOptions(program.command('embed <runDir> <data>')
    .description("the run's encoder over DATA (a dataset config or a FITS / .npy / HDF5 file or folder): embeddings .npy [N, D], a CSV of ids and labels, a UMAP PNG")
    .requiredOption('--out <file>', 'embeddings .npy (the CSV and PNG are written beside it)')
    .option('--no-umap', 'skip the UMAP PNG'))
    .action(async (runDir: string, data: string, o: { out: string; split?: string; labels?: string; crop?: boolean; limit?: string; batch?: string; umap: boolean }) => {
      const r = await embedRun(runDir, data, o.out, registry, {
        split: o.split, labels: o.labels, crop: o.crop, limit: positiveInt('--limit', o.limit), batch: positiveInt('--batch', o.batch),
        umap: o.umap, progress: new TerminalProgress(), logger,
      });
      console.log(`embeddings: ${r.npy} (float32 [${r.n}, ${r.dim}])`);
      console.log(`ids and labels: ${r.csv}${r.labels.length ? ` (${r.labels.join(', ')})` : ''}`);
      if (r.png) console.log(`UMAP: ${r.png}`);
      console.log(`time: reading images ${r.timings.loadSeconds.toFixed(2)} s, encoder ${r.timings.computeSeconds.toFixed(2)} s`);
    });
}
