import { definePlugin } from '../../core/index.js';
import { slurmAfterCommand } from './components/slurm-after-command.js';
import { SlurmExecutor } from './components/slurm-executor.js';

/** The Slurm executor: also the example of adding an executor from a plugin. */
export const slurmPlugin = definePlugin({
  name: 'slurm',
  description: 'run bench cells and dataset shard ranges as Slurm job arrays',
  components: [SlurmExecutor],
  commands: [slurmAfterCommand],
});
