/** Public entry of the Slurm plugin. */
export { slurmPlugin } from './plugin.js';
export { SlurmExecutor } from './components/slurm-executor.js';
export { SlurmExecutorOptions, type SlurmOptions } from './slurm-options.js';
export { arrayScript, afterScript } from './array-script.js';
