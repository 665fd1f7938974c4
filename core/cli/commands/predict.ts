import type { Command } from 'commander';
import { TerminalProgress } from '../../di/progress.js';
import type { Registry } from '../../registry/registry.js';
import { predictRun } from '../../export/predict-run.js';
import { positiveInt, withDataOptions } from './embed.js';

function fmt(x: number): string { return Number.isFinite(x) ? String(+x.toPrecision(5)) : String(x); }

/** Register `lensforge predict RUN_DIR DATA --out pred.csv`. */
export function addPredictCommand(program: Command, registry: Registry): void {
  withDataOptions(program.command('predict <runDir> <data>')
    .description("the run's downstream head(s) over DATA: predictions CSV (labels beside them when present) and R², MAE, scatter")
    .requiredOption('--out <file>', 'predictions CSV (metrics go to <name>.metrics.json beside it)')
    .option('--head <name>', 'only this head (network name)'))
    .action(async (runDir: string, data: string, o: { out: string; split?: string; labels?: string; crop?: boolean; limit?: string; batch?: string; head?: string }) => {
      const r = await predictRun(runDir, data, o.out, registry, {
        split: o.split, labels: o.labels, crop: o.crop, limit: positiveInt('--limit', o.limit), batch: positiveInt('--batch', o.batch),
        head: o.head, progress: new TerminalProgress(),
      });
      console.log(`predictions: ${r.csv} (${r.n} images; ${r.targets.join(', ')})`);
      for (const [t, m] of Object.entries(r.metrics)) console.log(`${t}: R2 ${fmt(m.r2)}, MAE ${fmt(m.mae)}, scatter${m.scatterDefinition === 'std-abs-error' ? ' (std of |error|)' : ''} ${fmt(m.scatter)}, bias ${fmt(m.bias)} (n = ${m.n})`);
      if (r.metricsFile) console.log(`metrics: ${r.metricsFile}`);
      else console.log('no label column for the predicted target(s) in DATA: no metrics');
    });
}
