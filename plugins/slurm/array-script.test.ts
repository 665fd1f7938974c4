import { expect } from 'chai';
import { arrayScript } from './array-script.js';
import { SlurmExecutorOptions } from './slurm-options.js';

describe('slurm array script', () => {
  const base = { count: 4, throttle: 2, listFile: '/shared/out/array-1.list', logsDir: '/shared/out/logs', node: '/usr/bin/node', bin: '/opt/lensforge/dist/core/cli/bin.js' };

  it('writes the #SBATCH lines of the options, the setup line and one task per element', () => {
    const opts = SlurmExecutorOptions.parse({ partition: 'debug', account: 'm1234', qos: 'regular', time: '00:30:00', cpusPerTask: 4, mem: '8G', gres: 'gpu:1', extra: ['--constraint=cpu'], setup: 'module load nodejs' });
    const s = arrayScript({ ...base, opts });
    for (const line of ['#SBATCH --array=0-3%2', '#SBATCH --partition=debug', '#SBATCH --account=m1234', '#SBATCH --qos=regular', '#SBATCH --time=00:30:00',
      '#SBATCH --cpus-per-task=4', '#SBATCH --mem=8G', '#SBATCH --gres=gpu:1', '#SBATCH --constraint=cpu', '#SBATCH --output=/shared/out/logs/slurm-%A_%a.out', 'module load nodejs']) {
      expect(s.split('\n'), line).to.include(line);
    }
    expect(s).to.contain('export LENSFORGE_NATIVE_THREADS="${SLURM_CPUS_PER_TASK:-4}"');
    expect(s).to.contain(`exec '/usr/bin/node' '/opt/lensforge/dist/core/cli/bin.js' task run "$TASK"`);
  });

  it('an element with one CPU runs node --single-threaded (no V8 helper threads on its one CPU)', () => {
    const s = arrayScript({ ...base, opts: SlurmExecutorOptions.parse({ cpusPerTask: 1 }) });
    expect(s).to.contain(`exec '/usr/bin/node' --single-threaded '/opt/lensforge/dist/core/cli/bin.js' task run "$TASK"`);
  });
});
