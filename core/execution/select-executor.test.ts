import 'reflect-metadata';
import { expect } from 'chai';
import { ConfigError } from '../errors.js';
import { createRegistry } from '../dataset/build-simulator.js';
import { LocalExecutor } from './local-executor.js';
import { executorName, selectExecutor } from './select-executor.js';

describe('executor selection (--executor NAME, executor: { use } in the config)', () => {
  it('resolves short and full names, applies config options, and keeps the in-process path by default', async () => {
    const reg = await createRegistry();
    expect(executorName(reg, 'local', '--executor')).to.equal('core/local');
    expect(executorName(reg, 'slurm', '--executor')).to.equal('slurm/slurm');
    expect(selectExecutor(reg, undefined, undefined)).to.equal(undefined);
    expect(selectExecutor(reg, 'in-process', { use: 'local', jobs: 3 })).to.equal(undefined);
    const fromConfig = selectExecutor(reg, undefined, { use: 'local', threadsPerJob: 2 })!;
    expect(fromConfig.name).to.equal('core/local');
    expect(fromConfig.executor).to.be.instanceOf(LocalExecutor);
    expect((fromConfig.executor as unknown as { opts: { threadsPerJob: number } }).opts.threadsPerJob).to.equal(2);
    // options without `use` go to the executor named on the command line
    const bare = selectExecutor(reg, 'local', { threadsPerJob: 2 })!;
    expect((bare.executor as unknown as { opts: { threadsPerJob: number } }).opts.threadsPerJob).to.equal(2);
  });

  it('reports unknown executors and bad options with the config path', async () => {
    const reg = await createRegistry();
    expect(() => selectExecutor(reg, 'slurn', undefined)).to.throw(ConfigError, /executor\.use: unknown executor "slurn". Did you mean "slurm\/slurm"\?/);
    expect(() => selectExecutor(reg, undefined, { use: 'slurm', cpusPerTask: 0 })).to.throw(ConfigError, /executor\.cpusPerTask: Too small: expected number to be >=1, got 0/);
    expect(() => selectExecutor(reg, undefined, { use: 'local', jbos: 2 })).to.throw(ConfigError, /executor: unknown option "jbos"/);
  });
});
