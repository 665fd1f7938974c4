import type { Command } from 'commander';
import type { Logger } from '../../di/logger.js';
import { TerminalProgress } from '../../di/progress.js';
import { runFinalizeFile, runTaskFile } from '../../execution/run-task.js';
import { LensforgeError } from '../../errors.js';
import type { Registry } from '../../registry/registry.js';

/**
 * The hidden worker commands every executor runs: `lensforge task run TASKFILE` (one task) and
 * `lensforge task finalize FILE` (bench tables / dataset manifest once all tasks have ended).
 */
export function addTaskCommand(program: Command, registry: Registry, logger: Logger): void {
  const task = program.command('task', { hidden: true }).description('run one executor task (used by executors)');
  task.command('run <taskfile>').description('run one task from its JSON task file')
    .action(async (file: string) => { await runTaskFile(file, registry, logger, new TerminalProgress()); });
  task.command('finalize <file>').description('write the bench tables or finish the dataset once all tasks have ended')
    .option('--strict', 'exit non-zero when some task has no result')
    .action(async (file: string, o: { strict?: boolean }) => {
      const r = await runFinalizeFile(file, registry, logger);
      if (o.strict && r.missing.length) throw new LensforgeError(`finalize ${file}: ${r.missing.length} task(s) without a result: ${r.missing.join('; ')}`);
    });
}
