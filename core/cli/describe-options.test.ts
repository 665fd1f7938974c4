import 'reflect-metadata';
import { expect } from 'chai';
import { z } from 'zod';
import { component } from '../registry/component.js';
import { componentRef } from '../registry/component-spec.js';
import { definePlugin } from '../registry/plugin.js';
import { Registry } from '../registry/registry.js';
import { describeOptions, formatOptions } from './describe-options.js';

@component({
  kind: 'method', name: 'demo/m', description: 'm',
  options: z.strictObject({
    lr: z.number().positive().default(0.1).describe('learning rate'),
    downstream: z.union([z.literal(false), z.strictObject({
      data: componentRef('simulator').optional().describe('another population'),
      epochs: z.number().int().min(0).default(10),
    })]).prefault({}),
    kernels: z.array(z.strictObject({ path: z.string().describe('a file'), scale: z.number().default(1) })).default([]).describe('kernel files'),
    head: componentRef('encoder', 'demo/cnn').describe('the head'),
  }),
})
class DemoMethod {}

describe('list shows nested option schemas', () => {
  it('objects, lists of objects and componentRefs, with defaults and descriptions, indented', () => {
    const r = new Registry();
    r.loadPlugin(definePlugin({ name: 'demo', components: [DemoMethod] }));
    const docs = describeOptions(r.get('method', 'demo/m'));
    expect(formatOptions(docs, '')).to.deep.equal([
      'lr: number in [0, inf] = 0.1  — learning rate',
      'downstream: false | object = {}',
      '  data: simulator component (name or { use, ...options })  — another population',
      '  epochs: integer in [0, inf] = 10',
      'kernels: object[] = []  — kernel files',
      '  path: string (required)  — a file',
      '  scale: number = 1',
      'head: encoder component (name or { use, ...options }) = "demo/cnn"  — the head',
    ]);
    const json = JSON.parse(JSON.stringify(docs)) as Array<{ name: string; component?: string; options?: Array<{ name: string; default?: unknown }> }>;
    expect(json.find((d) => d.name === 'downstream')!.options!.map((o) => o.name)).to.deep.equal(['data', 'epochs']);
    expect(json.find((d) => d.name === 'downstream')!.options![0]).to.include({ component: 'simulator' });
    expect(json.find((d) => d.name === 'kernels')!.options![1].default).to.equal(1);
  });
});
