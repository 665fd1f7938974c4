import 'reflect-metadata';
import { expect } from 'chai';
import { z } from 'zod';
import { component } from './component.js';
import { componentRef } from './component-spec.js';
import { definePlugin } from './plugin.js';
import { Registry } from './registry.js';
import { ConfigError, RegistryError } from '../errors.js';
import { closestMatches } from './suggest.js';

@component({ kind: 'encoder', name: 'nets/resnet', description: 'a resnet', options: z.strictObject({ depth: z.literal([18, 34, 50, 101]).default(18), width: z.number().int().min(1).default(64) }) })
class FakeResNet {}

@component({ kind: 'encoder', name: 'nets/small-cnn', description: 'small', options: z.object({}) })
class FakeCnn {}

@component({ kind: 'loss', name: 'nets/resnet-loss', description: 'a loss', options: z.object({}) })
class FakeLoss {}

@component({ kind: 'method', name: 'train/siamese', description: 'm', options: z.object({ backbone: componentRef('encoder', 'nets/small-cnn'), lr: z.number().positive().default(0.1) }) })
class FakeMethod {}

@component({ kind: 'encoder', name: 'nets/resnet', description: 'another resnet', options: z.object({}) })
class OtherResNet {}

function registry(): Registry {
  const r = new Registry();
  r.loadPlugin(definePlugin({ name: 'nets', components: [FakeResNet, FakeCnn, FakeLoss] }));
  r.loadPlugin(definePlugin({ name: 'train', components: [FakeMethod] }));
  return r;
}

describe('Registry', () => {
  it('refuses a duplicate name with an error naming both plugins', () => {
    const r = registry();
    expect(() => r.loadPlugin(definePlugin({ name: 'third-party', components: [OtherResNet] })))
      .to.throw(RegistryError, 'duplicate encoder "nets/resnet": registered by plugin "nets" (FakeResNet) and again by plugin "third-party" (OtherResNet)');
  });

  it('leaves nothing half-registered when a manifest is refused', () => {
    const r = registry();
    @component({ kind: 'encoder', name: 'x/fresh', description: 'f', options: z.object({}) })
    class Fresh {}
    expect(() => r.loadPlugin(definePlugin({ name: 'x', components: [Fresh, OtherResNet] }))).to.throw(RegistryError);
    expect(r.has('encoder', 'x/fresh')).to.equal(false);
  });

  it('lists registered names of the kind and the closest matches for an unknown name', () => {
    const r = registry();
    expect(() => r.get('encoder', 'nets/resnt', 'model.encoder')).to.throw(RegistryError,
      'model.encoder: unknown encoder "nets/resnt". Did you mean "nets/resnet"? Registered encoders: nets/resnet, nets/small-cnn');
  });

  it('says when a name exists under another kind', () => {
    const r = registry();
    expect(() => r.get('loss', 'nets/resnet')).to.throw(RegistryError, '("nets/resnet" is registered as an encoder, not a loss.)');
  });

  it('refuses a class without @component and an undeclared kind', () => {
    class Plain {}
    const r = new Registry();
    expect(() => r.loadPlugin(definePlugin({ name: 'p', components: [Plain] }))).to.throw(RegistryError, 'plugin "p": components[0] (Plain) is not decorated with @component');
    @component({ kind: 'widget', name: 'p/w', description: 'w', options: z.object({}) })
    class Widget {}
    expect(() => r.loadPlugin(definePlugin({ name: 'p', components: [Widget] }))).to.throw(RegistryError, 'unknown kind "widget"');
    r.loadPlugin(definePlugin({ name: 'p', kinds: { widget: 'a new kind' }, components: [Widget] }));
    expect(r.has('widget', 'p/w')).to.equal(true);
  });

  it('rejects badly formed component names', () => {
    expect(() => component({ kind: 'loss', name: 'NoNamespace', description: '', options: z.object({}) })).to.throw('expected "plugin/name"');
  });

  it('reports every bad option with its path, nested components included', () => {
    const r = registry();
    const issues: { path: string; message: string }[] = [];
    r.validate('method', { use: 'train/siamese', lr: -1, backbone: { use: 'nets/resnet', depth: 19, widht: 3 } }, 'model.method', issues);
    const text = issues.map((i) => `${i.path}: ${i.message}`);
    expect(text).to.include('model.method.lr: Too small: expected number to be >0, got -1');
    expect(issues.length).to.equal(1); // nested validation only runs once the parent is valid
    const issues2: { path: string; message: string }[] = [];
    r.validate('method', { use: 'train/siamese', backbone: { use: 'nets/resnet', depth: 19, widht: 3 } }, 'model.method', issues2);
    const t2 = issues2.map((i) => `${i.path}: ${i.message}`);
    expect(t2).to.include('model.method.backbone.depth: expected one of 18|34|50|101, got 19');
    expect(t2).to.include('model.method.backbone: unknown option "widht"; did you mean "width"? Valid options: depth, width');
  });

  it('resolves nested component names and defaults', () => {
    const r = registry();
    const spec = r.resolve('method', 'train/siamese', 'model.method');
    expect(spec.options.backbone).to.deep.equal({ use: 'nets/small-cnn' });
    expect(spec.options.lr).to.equal(0.1);
    expect(() => r.resolve('method', { use: 'train/siamese', backbone: 'nets/resnot' }, 'model.method')).to.throw(ConfigError, 'model.method.backbone.use: unknown encoder "nets/resnot". Did you mean "nets/resnet"?');
  });

  it('lists components sorted by kind and name and refuses unknown kinds', () => {
    const r = registry();
    expect(r.list().map((c) => c.name)).to.deep.equal(['nets/resnet', 'nets/small-cnn', 'nets/resnet-loss', 'train/siamese']);
    expect(() => r.list('encodr')).to.throw(RegistryError, 'unknown component kind "encodr"; kinds: simulator, augmenter, encoder, loss, metric, method, analysis; did you mean encoder?');
  });

  it('suggests by edit distance and by the short name', () => {
    expect(closestMatches('lensing/lens-pairs', ['lensing/lens-pair', 'simsiam/default', 'lensing/strong-lens'])).to.deep.equal(['lensing/lens-pair']);
    expect(closestMatches('strong-lens', ['lensing/lens-pair', 'lensing/strong-lens'])[0]).to.equal('lensing/strong-lens');
    expect(closestMatches('zzzzzz', ['lensing/lens-pair'])).to.deep.equal([]);
  });
});
