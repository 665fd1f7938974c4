import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError, DivergenceError, describeError } from '../errors.js';
import { ComponentError, attributeErrors, constructorError } from './component-error.js';
import type { RegisteredComponent } from './registry.js';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(DIST, 'core', 'cli', 'bin.js');
const EXAMPLE_PLUGIN = join(DIST, '..', 'examples', 'custom-plugin', 'plugin.ts');

const comp = { kind: 'simulator', name: 'broken/sim', plugin: 'broken', pluginFile: '/p/plugin.js' } as RegisteredComponent;

describe('errors inside components name the component, its config path and its plugin', function () {
  this.timeout(120000);

  it('wraps sync throws and async rejections, passes lensforge errors unchanged, keeps instanceof and this', async () => {
    class Sim {
      readonly n = 2;
      sample(): number { const b = {} as { images: { shape: number } }; return b.images.shape; }
      twice(): number { return this.n * 2; }
      async later(): Promise<number> { throw new RangeError('index 9 out of range'); }
      diverge(): number { throw new DivergenceError('loss is NaN at step 3'); }
    }
    const s = attributeErrors(new Sim(), comp, 'data');
    expect(s).to.be.instanceOf(Sim);
    expect(s.twice()).to.equal(4);
    const e = (() => { try { s.sample(); } catch (x) { return x as ComponentError; } })();
    expect(e).to.be.instanceOf(ComponentError);
    expect(e?.message).to.equal('data: simulator broken/sim (plugin "broken", /p/plugin.js) failed in sample(): TypeError: Cannot read properties of undefined (reading \'shape\')');
    expect(e?.cause).to.be.instanceOf(TypeError);
    const r = await s.later().then(() => undefined, (x: Error) => x);
    expect(r?.message).to.equal('data: simulator broken/sim (plugin "broken", /p/plugin.js) failed in later(): RangeError: index 9 out of range');
    expect(() => s.diverge()).to.throw(DivergenceError, /^loss is NaN at step 3$/);
    // a plain Error that already starts with the component's config path is the component's own report
    const own = attributeErrors({ check: () => { throw new Error('data.size: expected 16, got 17'); }, other: () => { throw new Error('database: gone'); } }, comp, 'data');
    expect(() => own.check()).to.throw(/^data\.size: expected 16, got 17$/);
    const other = attributeErrors({ check: () => { throw new Error('train.trainSize: needs one batch (4), got 3'); } }, comp, 'data');
    expect(() => other.check()).to.throw(/^train\.trainSize: needs one batch \(4\), got 3$/);
    expect(() => own.other()).to.throw(/^data: simulator broken\/sim \(plugin "broken", \/p\/plugin\.js\) failed in other\(\): database: gone$/);
    // a component error from a component further in passes through the outer one unchanged
    const outer = attributeErrors({ run: () => s.sample() }, { ...comp, kind: 'method', name: 'broken/method' }, 'model.method');
    expect(() => outer.run()).to.throw(/^data: simulator broken\/sim/);
    // constructors: a ConfigError stays as it is (exit status 2, its own paths)
    const cfg = new ConfigError([{ path: 'data.size', message: 'expected 16' }]);
    expect(constructorError(comp, 'data', cfg)).to.equal(cfg);
    expect(constructorError(comp, 'data', new Error('no table')).message).to.equal('data: simulator broken/sim (plugin "broken", /p/plugin.js) failed in its constructor: no table');
    const lf = constructorError(comp, 'data', new DivergenceError('3 NaN pixels in the source bank'));
    expect(lf.message).to.equal('data: simulator broken/sim (plugin "broken", /p/plugin.js) failed in its constructor: 3 NaN pixels in the source bank');
    expect(describeError(lf), 'the quoted cause is not repeated').to.equal(lf.message);
    const named = new Error('data.path: cutouts does not exist');
    expect(constructorError(comp, 'data', named)).to.equal(named);
  });

  it('lensforge run: a simulator whose sample() reads a property of undefined; --debug and LENSFORGE_DEBUG=1 print the stack', () => {
    const d = mkdtempSync(join(tmpdir(), 'lf-comp-err-'));
    const plugin = join(d, 'broken.mjs');
    writeFileSync(plugin, [
      `import { component, definePlugin, inject, TOKENS, z } from ${JSON.stringify(pathToFileURL(join(DIST, 'core', 'index.js')).href)};`,
      'class BrokenSim {',
      '  constructor(opts) {',
      "    if (opts.fail === 'constructor') throw new Error('no table at labels.csv');",
      '    this.imageShape = [16, 16, 1]; this.labelNames = ["amplitude"]; this.size = 64;',
      '  }',
      '  sample(i) { const batch = {}; return batch.images.shape; }',
      '}',
      'inject(TOKENS.Options)(BrokenSim, undefined, 0);',
      "component({ kind: 'simulator', name: 'broken/sim', description: 'throws', options: z.strictObject({ fail: z.enum(['sample', 'constructor']).default('sample') }) })(BrokenSim);",
      "export default definePlugin({ name: 'broken', components: [BrokenSim] });",
    ].join('\n'));
    writeFileSync(join(d, 'exp.yaml'), [
      'name: broken', 'seed: 1', 'backend: auto',
      `plugins: [${JSON.stringify(EXAMPLE_PLUGIN)}, ./broken.mjs]`,
      'data: { use: broken/sim }',
      'model:', '  encoder: { use: example/tiny-cnn, width: 4 }', '  method: { use: example/regress, target: amplitude, testSize: 8 }',
      'loss: { use: example/mse }',
      'train: { epochs: 1, batchSize: 8, trainSize: 16, optimizer: { name: adam, lr: 0.01 } }',
    ].join('\n'));
    const run = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, LENSFORGE_DEBUG: '', ...env } });
    const head = `error: data: simulator broken/sim (plugin "broken", ${plugin}) failed in sample(): TypeError: Cannot read properties of undefined (reading 'shape')`;

    const plain = run(['run', join(d, 'exp.yaml'), '--out', join(d, 'run1')]);
    expect(plain.status, plain.stderr).to.equal(1);
    const lines = plain.stderr.trimEnd().split('\n');
    expect(lines.slice(-2)).to.deep.equal([head, '(run with --debug for the stack trace)']);
    expect(plain.stderr).to.not.match(/caused by|\n {4}at /);

    const debug = run(['--debug', 'run', join(d, 'exp.yaml'), '--out', join(d, 'run2')]);
    expect(debug.status, debug.stderr).to.equal(1);
    expect(debug.stderr).to.contain(`${head}\nComponentError: data: simulator broken/sim`);
    expect(debug.stderr).to.match(/caused by: TypeError: Cannot read properties of undefined \(reading 'shape'\)\n {4}at BrokenSim\.sample \(file:\/\/.*broken\.mjs:7:\d+\)/);
    // the flag also works after the command, and LENSFORGE_DEBUG=1 still does
    for (const [args, env] of [[['run', join(d, 'exp.yaml'), '--out', join(d, 'run3'), '--debug'], {}], [['run', join(d, 'exp.yaml'), '--out', join(d, 'run4')], { LENSFORGE_DEBUG: '1' }]] as const) {
      const r = run([...args], env);
      expect(r.stderr, args.join(' ')).to.match(/at BrokenSim\.sample \(file:\/\/.*broken\.mjs:7:\d+\)/);
    }

    const ctor = run(['run', join(d, 'exp.yaml'), '--out', join(d, 'run5'), '--set', 'data.fail=constructor']);
    expect(ctor.status, ctor.stderr).to.equal(1);
    expect(ctor.stderr).to.contain(`error: data: simulator broken/sim (plugin "broken", ${plugin}) failed in its constructor: no table at labels.csv\n`);
  });
});
