import type { Command } from 'commander';
import type { Logger } from '../../di/logger.js';
import type { Registry } from '../../registry/registry.js';
import { exportRun, MODEL_CARD } from '../../export/export-run.js';

/** Register `lensforge export RUN_DIR --out DIR`. */
export function addExportCommand(program: Command, registry: Registry, logger: Logger): void {
  program.command('export <runDir>').description('write every trained network of a run as a TF.js LayersModel (model.json + weight shards) and a model card')
    .requiredOption('--out <dir>', 'output folder: <network>/model.json, weight shards, lensforge-model.json')
    .action(async (runDir: string, o: { out: string }) => {
      const r = await exportRun(runDir, o.out, registry);
      const nets = r.card.networks as Array<{ name: string; role: string; inputShape: unknown[]; files: string[]; plainTfjs: { loadable: boolean; needsLensforge?: string[] } }>;
      for (const n of nets) {
        console.log(`${n.name} (${n.role}): ${r.out}/${n.name}/model.json + ${n.files.length - 1} weight shard(s), input [${n.inputShape.map((d) => d ?? 'N').join(', ')}]` +
          (n.plainTfjs.loadable ? '; loads with plain @tensorflow/tfjs' : `; needs lensforge to load (custom layers: ${n.plainTfjs.needsLensforge?.join(', ') || 'see the model card'})`));
      }
      logger.info(`model card: ${r.out}/${MODEL_CARD}`);
    });
}
