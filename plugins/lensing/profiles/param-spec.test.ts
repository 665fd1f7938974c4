import { expect } from 'chai';
import { describeValue, formatRange, SpecValidationError, validateProfileKwargs, type ProfileSpec } from './param-spec.js';

describe('lensing/param-spec validator', () => {
  const spec: ProfileSpec = {
    type: 'TOY', kind: 'mass', description: 'toy',
    params: [
      { name: 'a', min: 0, max: 1, minExclusive: true, doc: '' },
      { name: 'b', min: -2, max: 2, default: 0.5, doc: '' },
    ],
  };

  it('fills defaults and accepts in-range values', () => {
    const r = validateProfileKwargs({ type: 'TOY', a: 1 }, 'x', { TOY: spec }, 'mass');
    expect(r.errors).to.deep.equal([]);
    expect(r.params).to.deep.equal({ a: 1, b: 0.5 });
  });

  it('formats ranges and values for messages', () => {
    expect(formatRange(spec.params[0])).to.equal('(0, 1]');
    expect(formatRange(spec.params[1])).to.equal('[-2, 2]');
    expect(describeValue('s')).to.equal('"s"');
    expect(describeValue([1, 2])).to.equal('an array of length 2');
    expect(describeValue(new Float32Array(2))).to.equal('a Float32Array');
    expect(describeValue(null)).to.equal('null');
  });

  it('collects every error instead of stopping at the first', () => {
    const r = validateProfileKwargs({ type: 'TOY', a: 0, b: Infinity, c: 1 }, 'p', { TOY: spec }, 'mass');
    expect(r.errors).to.deep.equal([
      'p.c: unknown parameter for TOY; allowed: a, b',
      'p.a: expected a number in (0, 1], got 0',
      'p.b: expected a number in [-2, 2], got Infinity',
    ]);
  });

  it('SpecValidationError lists its issues in the message', () => {
    const e = new SpecValidationError('thing', ['x: bad', 'y: worse']);
    expect(e.message).to.equal('thing is invalid (2 problems):\n  - x: bad\n  - y: worse');
    expect(e.issues).to.deep.equal(['x: bad', 'y: worse']);
    expect(new SpecValidationError('t', ['a']).message).to.equal('t is invalid (1 problem):\n  - a');
  });
});
