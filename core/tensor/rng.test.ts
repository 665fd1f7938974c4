import { expect } from 'chai';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('is reproducible for a seed and differs between seeds', () => {
    const a = Rng.fromSeed(42), b = Rng.fromSeed(42), c = Rng.fromSeed(43);
    const xa = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).to.deep.equal(xa);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).to.not.deep.equal(xa);
    expect(Rng.fromSeed(0).random()).to.not.equal(Rng.fromSeed(1).random());
  });

  it('derives streams that do not depend on how much the parent has drawn', () => {
    const a = Rng.fromSeed(1), b = Rng.fromSeed(1);
    for (let i = 0; i < 100; i++) b.random();
    expect(a.derive('data').random()).to.equal(b.derive('data').random());
    expect(a.derive('data').random()).to.not.equal(a.derive('model').random());
  });

  it('draws uniform and normal numbers with the right moments', () => {
    const r = Rng.fromSeed(3);
    const n = 200000;
    let su = 0, sn = 0, sn2 = 0;
    for (let i = 0; i < n; i++) { su += r.random(); const z = r.normal(); sn += z; sn2 += z * z; }
    expect(su / n).to.be.closeTo(0.5, 0.005);
    expect(sn / n).to.be.closeTo(0, 0.01);
    expect(sn2 / n).to.be.closeTo(1, 0.015);
  });

  it('draws Poisson numbers with mean and variance lambda', () => {
    const r = Rng.fromSeed(5);
    for (const lam of [0.5, 7, 120]) {
      const xs = Array.from({ length: 40000 }, () => r.poisson(lam));
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
      expect(m).to.be.closeTo(lam, 0.05 * lam + 0.02);
      expect(v).to.be.closeTo(lam, 0.08 * lam + 0.03);
    }
  });

  it('saves and restores its state', () => {
    const r = Rng.fromSeed(9);
    r.normal();
    const st = r.getState();
    const next = [r.random(), r.normal(), r.nextUint32()];
    const r2 = Rng.fromSeed(9);
    r2.setState(st);
    expect([r2.random(), r2.normal(), r2.nextUint32()]).to.deep.equal(next);
    expect(() => Rng.fromSeed(10).setState(st)).to.throw('state belongs to stream');
  });

  it('gives clear errors for bad arguments', () => {
    expect(() => Rng.fromSeed(1.5)).to.throw('seed: expected a safe integer, got 1.5');
    expect(() => Rng.fromSeed(1).int(3, 3)).to.throw('Rng.int: expected hi > lo, got lo=3 hi=3');
    expect(() => Rng.fromSeed(1).poisson(-1)).to.throw('expected lambda >= 0, got -1');
    const s = Rng.fromSeed(1).tfSeed();
    expect(s).to.be.greaterThan(0);
  });
});
