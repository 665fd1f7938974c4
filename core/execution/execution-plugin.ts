import { definePlugin } from '../registry/plugin.js';
import { LocalExecutor } from './local-executor.js';

/** The core's executors and the `executor` kind (plugins add their own, e.g. `slurm/slurm`). */
export const executionCorePlugin = definePlugin({
  name: 'core-execution',
  description: 'running independent tasks (bench cells, dataset shards): the executor kind and local child processes',
  kinds: { executor: 'runs independent tasks (bench cells, dataset shard ranges) in other processes or on a cluster' },
  components: [LocalExecutor],
});
