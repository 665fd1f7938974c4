import { expect } from 'chai';
import { configDiff, formatConfigDiff } from './config-diff.js';

describe('config diff', () => {
  it('lists differing leaves as key paths with old and new values', () => {
    const a = { seed: 7, train: { epochs: 3, optimizer: { name: 'adam', lr: 0.01 } }, augment: { use: 'example/flip', p: 0.5 }, evaluate: [{ use: 'example/mse' }] };
    const b = { seed: 7, train: { epochs: 5, optimizer: { name: 'sgd', lr: 0.01 } }, evaluate: [{ use: 'example/mse' }, { use: 'example/mae' }], extra: null };
    const d = configDiff(a, b);
    expect(d.map((c) => c.path)).to.deep.equal(['augment', 'evaluate[1]', 'extra', 'train.epochs', 'train.optimizer.name']);
    expect(formatConfigDiff(d)).to.equal('augment: {"use":"example/flip","p":0.5} → (absent); evaluate[1]: (absent) → {"use":"example/mae"}; ' +
      'extra: (absent) → null; train.epochs: 3 → 5; train.optimizer.name: "adam" → "sgd"');
    expect(configDiff(a, structuredClone(a))).to.deep.equal([]);
    expect(configDiff({ k: 1, u: undefined }, { k: 1 })).to.deep.equal([]);
  });

  it('caps the list and shortens long values', () => {
    const a = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${String(i).padStart(2, '0')}`, i]));
    const b = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${String(i).padStart(2, '0')}`, i + 1]));
    const s = formatConfigDiff(configDiff(a, b), 3);
    expect(s).to.equal('k00: 0 → 1; k01: 1 → 2; k02: 2 → 3; … and 9 more');
    expect(formatConfigDiff(configDiff({ x: 'a'.repeat(100) }, { x: 'b' }))).to.equal(`x: "${'a'.repeat(58)}… → "b"`);
  });
});
