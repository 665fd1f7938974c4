import { LensforgeError, TerminalProgress, type LensforgePlugin } from '../../../core/index.js';
import { sampleRun } from '../sample/sample-run.js';

type PluginCommand = NonNullable<LensforgePlugin['commands']>[number];

/** `lensforge sample RUN_DIR --count N --out maps.npy|maps.fits [--seed S] [--batch B]` (see sampleRun). */
export const sampleCommand: PluginCommand = {
  name: 'sample <runDir>',
  description: "maps from a trained GAN's generator (weight-averaged when the run has it), in the training data's units: .npy [N, H, W] or a FITS cube",
  options: [
    { flags: '--count <n>', description: 'number of maps' },
    { flags: '--out <file>', description: 'maps.npy (float32 [N, H, W(, C)]) or maps.fits (float32 cube)' },
    { flags: '--seed <s>', description: 'seed of the latent draws (same seed: byte-identical output)', default: '0' },
    { flags: '--batch <b>', description: 'maps per generator call', default: '64' },
  ],
  async action(args, opts, context) {
    const o = opts as { count?: string; out?: string; seed?: string; batch?: string };
    if (!context) throw new Error('sample: needs the CLI registry');
    if (o.count === undefined) throw new LensforgeError('--count: required (the number of maps)');
    if (o.out === undefined) throw new LensforgeError('--out: required (maps.npy or maps.fits)');
    const r = await sampleRun(args[0], o.out, context.registry, { count: o.count as unknown as number, seed: o.seed as unknown as number, batch: o.batch as unknown as number, progress: new TerminalProgress() });
    console.log(`maps: ${r.out} (float32 [${r.shape.join(', ')}], ${r.format}) from ${r.network}`);
    console.log(`units: ${r.units}; pixel transform inverted: ${r.transform}`);
  },
};
