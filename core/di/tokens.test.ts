import 'reflect-metadata';
import { expect } from 'chai';
import { z } from 'zod';
import { container } from 'tsyringe';
import { component } from '../registry/component.js';
import { componentRef } from '../registry/component-spec.js';
import { ComponentFactory } from '../registry/component-factory.js';
import { definePlugin } from '../registry/plugin.js';
import { Registry } from '../registry/registry.js';
import { Rng } from '../tensor/rng.js';
import { MemoryLogger } from './logger.js';
import { TOKENS } from './tokens.js';
import { binding, provide, provideAll, resolveOptional, token } from './token.js';
import { inject } from './typed-inject.js';
import { TypedTokensProbe } from './token-types.check.js';

@component({ kind: 'simulator', name: 'probe/leaf', description: 'records what it was given', options: z.object({ size: z.number().default(4) }) })
class Leaf extends TypedTokensProbe {}

@component({ kind: 'method', name: 'probe/parent', description: 'builds a nested leaf from its own path', options: z.object({ inner: componentRef('simulator', 'probe/leaf') }) })
class Parent {
  readonly inner: Leaf;
  constructor(
    @inject(TOKENS.Options) o: { inner: unknown },
    @inject(TOKENS.ComponentPath) readonly path: string,
    @inject(TOKENS.Factory) factory: ComponentFactory,
  ) {
    this.inner = factory.create<Leaf>('simulator', o.inner, `${path}.inner`);
  }
}

function factory(seed = 7): { f: ComponentFactory; reg: Registry; logger: MemoryLogger } {
  const reg = new Registry();
  reg.loadPlugin(definePlugin({ name: 'probe', components: [Leaf, Parent] }));
  const c = container.createChildContainer();
  const logger = new MemoryLogger();
  provide(c, TOKENS.Logger, logger);
  return { f: new ComponentFactory(reg, Rng.fromSeed(seed), c), reg, logger };
}

describe('typed injection tokens', () => {
  it('are distinct global symbols named lensforge:<Name>, so two copies of the core agree', () => {
    const all = Object.entries(TOKENS);
    expect(new Set(all.map(([, t]) => t)).size).to.equal(all.length);
    for (const [name, t] of all) {
      expect(typeof t).to.equal('symbol');
      expect(t).to.equal(Symbol.for(`lensforge:${name}`));
    }
    expect(token<string>('BaseDir')).to.equal(TOKENS.BaseDir);
  });

  it('resolve to the value provided for them, through child containers', () => {
    const parent = container.createChildContainer();
    const logger = new MemoryLogger();
    provide(parent, TOKENS.Logger, logger);
    provideAll(parent, [binding(TOKENS.BaseDir, '/data/here')]);
    const child = parent.createChildContainer();
    const resolved = child.resolve(TOKENS.Logger);
    resolved.info('through the child');
    expect(resolved).to.equal(logger);
    expect(logger.lines).to.deep.equal(['through the child']);
    expect(resolveOptional(child, TOKENS.BaseDir)).to.equal('/data/here');
    expect(resolveOptional(child, TOKENS.RunDir)).to.equal(undefined);
  });

  it('give every built component its options, config path, own Rng and the shared services', () => {
    const { f, logger } = factory();
    const leaf = f.create<Leaf>('simulator', { use: 'probe/leaf', size: 9 }, 'data');
    expect(leaf.options).to.deep.equal({ size: 9 });
    expect(leaf.path).to.equal('data');
    expect(leaf.factory).to.equal(f);
    expect(leaf.logger).to.equal(logger);
    expect(leaf.rng.nextUint32()).to.equal(Rng.fromSeed(7).derive('component:data').nextUint32());
  });

  it('give a nested component the path its parent derived from its own injected path', () => {
    const { f } = factory();
    const parent = f.create<Parent>('method', { use: 'probe/parent', inner: { use: 'probe/leaf', size: 2 } }, 'model.method');
    expect(parent.path).to.equal('model.method');
    expect(parent.inner.path).to.equal('model.method.inner');
    expect(parent.inner.options).to.deep.equal({ size: 2 });
    // its Rng stream follows from that path, not from the parent's
    expect(parent.inner.rng.nextUint32()).to.equal(Rng.fromSeed(7).derive('component:model.method.inner').nextUint32());
  });

  it('name the nested path in validation errors of a nested spec', () => {
    const { f } = factory();
    expect(() => f.create<Parent>('method', { use: 'probe/parent', inner: { use: 'probe/leaf', size: 'big' } }, 'model.method'))
      .to.throw(/model\.method\.inner\.size: expected number, got "big"/);
  });
});
