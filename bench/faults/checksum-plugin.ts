/**
 * A helper plugin of the fault benchmark: `faults/checksum` reads every sample of its data
 * (all stored views and labels) and reports fingerprints as metrics, so a run over a damaged
 * dataset that does not fail shows up as a different summary.json.
 */
import { component, definePlugin, inject, TOKENS, z, type Method, type MethodContext, type RunMetrics } from 'lensforge';

export const ChecksumOptions = z.strictObject({});

@component({ kind: 'method', name: 'faults/checksum', description: 'fingerprints every sample of the data (fault benchmark)', options: ChecksumOptions })
export class ChecksumMethod implements Method {
  constructor(@inject(TOKENS.Options) readonly opts: z.output<typeof ChecksumOptions>) {}

  async run(ctx: MethodContext): Promise<RunMetrics> {
    const d = ctx.data;
    let sum = 0, sumsq = 0, weighted = 0, labels = 0, values = 0;
    for (let i = 0; i < d.size; i++) {
      const s = d.sample(i, 'train');
      for (const v of s.views ?? [s.image]) {
        for (let k = 0; k < v.length; k++) { const x = v[k]; sum += x; sumsq += x * x; weighted += x * ((i * 31 + k) % 97); }
        values += v.length;
      }
      for (const [j, name] of d.labelNames.entries()) labels += (s.labels[name] ?? NaN) * (1 + ((i + j) % 7));
    }
    ctx.runDir.record({ phase: 'checksum', samples: d.size, values });
    // the stored geometry too: a wrong imageShape with the same pixel count keeps the sums
    const [h, w, c] = d.imageShape;
    let rows = 0;
    if (d.size > 0) { const v = d.sample(0, 'train').image; for (let y = 0; y < h; y++) for (let x = 0; x < w * c; x++) rows += v[y * w * c + x] * (y + 1); }
    return { samples: d.size, values, sum, sumsq, weighted, labels, height: h, width: w, channels: c, rows };
  }
}

export default definePlugin({ name: 'faults', version: '0.1.0', description: 'fault-injection benchmark helpers', components: [ChecksumMethod] });
