import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { LensforgeError, z } from '../../../core/index.js';
import { describeValue } from './describe-value.js';
import { EPL_PARAMS } from './epl.js';
import { CENTER_X, describeParameters, MAX_E_MODULUS, parameterInfo, parseProfileParams, profileParameters } from './profile-params.js';
import { SpecValidationError } from './spec-validation-error.js';

/** A toy profile: `a` in (0, 1] required, `b` in [-2, 2] default 0.5, elliptical pair. */
const TOY = profileParameters('TOY', {
  a: z.number().gt(0).lte(1).describe('toy amplitude'),
  b: z.number().min(-2).max(2).default(0.5).describe('toy offset'),
  e1: z.number().default(0), e2: z.number().default(0),
}, { ellipticPair: true });

describe('lensing/profile-params (profile parameters as zod schemas)', () => {
  it('fills defaults and accepts in-range values (the zod output, numbers untouched)', () => {
    const r = parseProfileParams(TOY, 'TOY', { type: 'TOY', a: 1 }, 'x');
    expect(r.errors).to.deep.equal([]);
    expect(r.params).to.deep.equal({ a: 1, b: 0.5, e1: 0, e2: 0 });
    expect(parseProfileParams(EPL_PARAMS, 'EPL', { theta_E: 0.1 + 0.2, gamma: 2 }, 'lens').params.theta_E).to.equal(0.1 + 0.2);
  });

  it('collects every problem, naming the profile, the parameter, the value and the range', () => {
    const r = parseProfileParams(TOY, 'TOY', { type: 'TOY', a: 0, b: Infinity, c: 1, d: 'x' }, 'p');
    expect(r.errors).to.deep.equal([
      'p.c: unknown parameter for TOY; allowed: a, b, e1, e2',
      'p.d: unknown parameter for TOY; allowed: a, b, e1, e2',
      'p.a: expected a number in (0, 1] for TOY, got 0',
      'p.b: expected a number in [-2, 2] for TOY, got Infinity',
    ]);
    expect(parseProfileParams(TOY, 'TOY', { b: '1' }, 'p').errors).to.deep.equal([
      'p.a: missing required parameter of TOY (expected a number in (0, 1])',
      'p.b: expected a number in [-2, 2] for TOY, got "1"',
    ]);
  });

  it('checks the (e1, e2) modulus once the fields are valid', () => {
    expect(parseProfileParams(TOY, 'TOY', { a: 1, e1: 0.8, e2: 0.6 }, 'q').errors).to.deep.equal([
      `q.e1/e2: expected sqrt(e1^2 + e2^2) <= ${MAX_E_MODULUS} for TOY, got 1`]);
    expect(parseProfileParams(TOY, 'TOY', { a: 2, e1: 0.8, e2: 0.6 }, 'q').errors).to.deep.equal([
      'q.a: expected a number in (0, 1] for TOY, got 2']);
    expect(parseProfileParams(TOY, 'TOY', { a: 1, e1: 0.6, e2: 0.6 }, 'q').errors).to.deep.equal([]);
  });

  it("reports a plugin schema's own checks and non-numeric fields with zod's message", () => {
    const RING = profileParameters('RING', { r_in: z.number().min(0), r_out: z.number().min(0), label: z.enum(['a', 'b']).default('a') })
      .refine((v) => (v.r_out as number) > (v.r_in as number), { message: 'expected r_out > r_in', path: ['r_out'] });
    const r = parseProfileParams(RING as never, 'RING', { r_in: 2, r_out: 1 }, 'lens[3]');
    expect(r.errors).to.deep.equal(['lens[3].r_out: expected r_out > r_in']);
    const bad = parseProfileParams(RING as never, 'RING', { r_in: 0, r_out: 1, label: 'c' }, 'lens[3]').errors;
    expect(bad).to.have.length(1);
    expect(bad[0]).to.match(/^lens\[3\]\.label: .*"a".*"b".* \(RING parameter label\), got "c"$/);
  });

  it('reads ranges, defaults and descriptions from the schema (what `lensforge list` prints)', () => {
    expect(parameterInfo(TOY).slice(0, 2)).to.deep.equal([
      { name: 'a', numeric: true, range: '(0, 1]', default: undefined, description: 'toy amplitude', type: 'number' },
      { name: 'b', numeric: true, range: '[-2, 2]', default: 0.5, description: 'toy offset', type: 'number' },
    ]);
    expect(describeParameters(TOY)).to.equal('a (0, 1], b [-2, 2] = 0.5, e1 [-inf, inf] = 0, e2 [-inf, inf] = 0');
    expect(describeParameters(EPL_PARAMS)).to.equal(
      'theta_E (0, 100], gamma [1.2, 2.9], e1 [-0.9, 0.9] = 0, e2 [-0.9, 0.9] = 0, center_x [-100, 100] = 0, center_y [-100, 100] = 0');
    expect(CENTER_X.description).to.equal('profile centre x [arcsec]');
  });

  it('formats values for messages', () => {
    expect(describeValue('s')).to.equal('"s"');
    expect(describeValue([1, 2])).to.equal('an array of length 2');
    expect(describeValue(new Float32Array(2))).to.equal('a Float32Array');
    expect(describeValue(null)).to.equal('null');
    expect(describeValue({ k: 'x'.repeat(80) })).to.match(/^\{"k":"x+\.\.\.$/);
  });

  it('SpecValidationError is a LensforgeError listing its issues in the message', () => {
    const e = new SpecValidationError('thing', ['x: bad', 'y: worse']);
    expect(e).to.be.instanceOf(LensforgeError);
    expect(e.name).to.equal('SpecValidationError');
    expect(e.message).to.equal('thing is invalid (2 problems):\n  - x: bad\n  - y: worse');
    expect(e.issues).to.deep.equal(['x: bad', 'y: worse']);
    expect(new SpecValidationError('t', ['a']).message).to.equal('t is invalid (1 problem):\n  - a');
  });

  it('`lensforge list mass-profile` shows each profile\'s parameters with ranges and defaults', async function () {
    this.timeout(60000);
    const out = await new Promise<string>((res, rej) => execFile(process.execPath, [resolve('dist/core/cli/bin.js'), 'list', 'mass-profile'], { encoding: 'utf8' },
      (err, stdout) => (err ? rej(err) : res(stdout))));
    const line = out.split('\n').find((l) => l.includes('lensing/epl'));
    expect(line).to.equal('  lensing/epl  (lensing)  Elliptical power law (Tessore & Metcalf 2015), lenstronomy EPL; parameters: ' +
      'theta_E (0, 100], gamma [1.2, 2.9], e1 [-0.9, 0.9] = 0, e2 [-0.9, 0.9] = 0, center_x [-100, 100] = 0, center_y [-100, 100] = 0');
    expect(out).to.include('lensing/shear  (lensing)  External shear (gamma1, gamma2) about (ra_0, dec_0), lenstronomy SHEAR; parameters: gamma1 [-0.5, 0.5], gamma2 [-0.5, 0.5], ra_0 [-100, 100] = 0, dec_0 [-100, 100] = 0');
  });
});
