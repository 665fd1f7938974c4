import { resolve } from 'node:path';
import { ConsoleLogger, ExecStateFile, runFinalizeFile, type PluginCommand } from '../../../core/index.js';
import { reconcile, slurmExtra, submitArray, unfinished } from '../slurm-submission.js';

/**
 * `lensforge slurm-after OUT`: the follow-up job of a detached submission (it runs when every
 * element has ended). Resubmits the elements that did not finish while retries remain (with a new
 * follow-up job); otherwise writes the results (bench tables, dataset manifest).
 */
export const slurmAfterCommand: PluginCommand = {
  name: 'slurm-after <outDir>',
  description: 'follow-up job of a detached Slurm submission: resubmit failed elements or write the results',
  async action(args, _options, context) {
    const logger = new ConsoleLogger();
    const state = ExecStateFile.load(resolve(args[0]));
    const extra = slurmExtra(state.state);
    const sub = extra.submissions[extra.submissions.length - 1];
    if (!sub) throw new Error(`slurm-after: ${args[0]} has no Slurm submission in its state file`);
    await reconcile(state, sub, new Map(sub.taskIds.map((_, i) => [i, 9])));
    const again = unfinished(state, sub);
    if (again.length && sub.attempt <= extra.options.retries) {
      logger.info(`slurm-after: resubmitting ${again.length} element(s) (attempt ${sub.attempt + 1} of ${extra.options.retries + 1})`);
      await submitArray(state, again, sub.attempt + 1, true, logger);
      return;
    }
    if (!extra.finalizeFile) return;
    if (!context) throw new Error('slurm-after: needs the CLI registry');
    const r = await runFinalizeFile(extra.finalizeFile, context.registry, logger);
    if (r.missing.length || again.length) process.exitCode = 1;
  },
};
