import type { LensforgePlugin } from '../../../core/index.js';
import { writeLabelFractionReport } from '../report/label-fraction-report.js';

type Command = NonNullable<LensforgePlugin['commands']>[number];

/**
 * `lensforge band-pretext-table <benchDir> [--out DIR]`: after `lensforge bench
 * examples/band-pretext*.yaml`, write the paper's Table 1 (table1.md) and Figure S2
 * (figure-s2.png) from the bench's summary.json and run directories, and print the table.
 */
export const labelFractionCommand: Command = {
  name: 'band-pretext-table <benchDir>',
  description: 'write Table 1 (MAE/Sigma of Base vs Ours per label fraction) and Figure S2 from a band-pretext bench',
  options: [{ flags: '--out <dir>', description: 'output folder (default: the bench folder)' }],
  async action(args, options) {
    const [benchDir] = args;
    if (!benchDir) throw new Error('band-pretext-table: benchDir: expected the output folder of a band-pretext bench, got nothing');
    const out = typeof options.out === 'string' ? options.out : benchDir;
    process.stdout.write(await writeLabelFractionReport(benchDir, out));
    process.stdout.write(`wrote ${out}/table1.md and ${out}/figure-s2.png\n`);
  },
};
