import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { withBackend } from './with-backend.js';

describe('core/tensor withBackend', () => {
  it("leaves cpu as tfjs's default: the wasm package is registered at priority 0, not 2", () => {
    const factories = tf.engine().registryFactory as Record<string, { priority: number }>;
    expect(factories.wasm.priority).to.equal(0);
    expect(factories.cpu.priority).to.be.greaterThan(factories.wasm.priority);
  });

  it('runs fn on the requested backend and restores the previous one, also when fn throws', async () => {
    await tf.setBackend('cpu');
    const inside = await withBackend('wasm', () => tf.getBackend());
    expect(inside).to.equal('wasm');
    expect(tf.getBackend()).to.equal('cpu');
    const err = await withBackend('wasm', () => { throw new Error('boom'); }).catch((e: Error) => e.message);
    expect(err).to.equal('boom');
    expect(tf.getBackend()).to.equal('cpu');
    const nested = await withBackend('wasm', () => withBackend('cpu', () => tf.getBackend()).then((b) => [b, tf.getBackend()]));
    expect(nested).to.deep.equal(['cpu', 'wasm']);
  });

  it('rejects an unknown backend naming it, without changing the active one', async () => {
    await tf.setBackend('cpu');
    const msg = await withBackend('webgpu', () => 1).catch((e: Error) => e.message);
    expect(msg).to.match(/^withBackend: backend 'webgpu' is not registered \(registered: .*cpu.*\)$/);
    expect(tf.getBackend()).to.equal('cpu');
  });
});
