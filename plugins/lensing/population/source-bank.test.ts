import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, writeFits, writeNpy } from '../../../core/index.js';
import { SourceBank } from './source-bank.js';

describe('lensing/population/source-bank', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'lensforge-bank-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cube = (n: number, h: number, w: number) => Float32Array.from({ length: n * h * w }, (_, k) => 1 + (k % 7) + Math.floor(k / (h * w)));

  it('loads a .npy cube [n, H, W], a single .npy image [H, W] and a FITS cube', () => {
    writeNpy(join(dir, 'a.npy'), cube(3, 5, 4), [3, 5, 4]);
    writeNpy(join(dir, 'b.npy'), Float64Array.from(cube(1, 6, 6)), [6, 6]);
    writeFits(join(dir, 'c.fits'), cube(2, 7, 3), [2, 7, 3]);
    const bank = SourceBank.load(['a.npy', join(dir, 'b.npy'), 'c.fits'], 'sources.bank.paths', dir);
    expect(bank.size).to.equal(6);
    expect(bank.stamps.map((s) => [s.rows, s.cols])).to.deep.equal([[5, 4], [5, 4], [5, 4], [6, 6], [7, 3], [7, 3]]);
    const want = cube(3, 5, 4).slice(20, 40);
    expect(Array.from(bank.stamps[1].image)).to.deep.equal(Array.from(want));
    expect(bank.stamps[1].sum).to.equal(want.reduce((a, b) => a + b, 0));
    // FITS: NAXIS1 is the fastest axis, so stamp 1 of c.fits is values 21..41 of the cube
    expect(Array.from(bank.stamps[5].image)).to.deep.equal(Array.from(cube(2, 7, 3).slice(21, 42)));
    expect(bank.stamps[4].origin).to.match(/c\.fits\[0\]$/);
  });

  it('reports every bad file at once, naming the field, the value and what was expected', () => {
    writeNpy(join(dir, 'flat.npy'), cube(1, 1, 9), [9]);
    writeNpy(join(dir, 'neg.npy'), Float32Array.from([1, 1, 1, 1, -1, -1, -1, -1]), [2, 2, 2]);
    writeNpy(join(dir, 'nan.npy'), Float32Array.from([1, NaN, 1, 1]), [2, 2]);
    writeFileSync(join(dir, 'junk.npy'), 'not numpy');
    let err: unknown;
    try {
      SourceBank.load(['missing.npy', 'stamps.txt', 'flat.npy', 'neg.npy', 'nan.npy', 'junk.npy'], 'data.sources.bank.paths', dir);
    } catch (e) { err = e; }
    expect(err).to.be.instanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).to.match(/6 configuration errors/);
    expect(msg).to.match(/data\.sources\.bank\.paths\[0\]: file not found: .*missing\.npy/);
    expect(msg).to.match(/data\.sources\.bank\.paths\[1\]: expected a \.npy, \.fits, \.fit, \.fts file, got "stamps\.txt"/);
    expect(msg).to.match(/data\.sources\.bank\.paths\[2\]: expected an array of shape \[n, H, W\] or \[H, W\], got shape \[9\]/);
    expect(msg).to.match(/data\.sources\.bank\.paths\[3\]: stamp 1 has a non-positive total flux \(sum = -4\)/);
    expect(msg).to.match(/data\.sources\.bank\.paths\[4\]: stamp 0 has a non-finite value \(NaN\) at pixel 1/);
    expect(msg).to.match(/data\.sources\.bank\.paths\[5\]: could not read .*junk\.npy: .*not a \.npy file/);
  });

  it('builds from an in-memory array and checks its shape', () => {
    expect(SourceBank.fromArray(cube(2, 3, 3), [2, 3, 3]).size).to.equal(2);
    expect(() => SourceBank.fromArray(cube(2, 3, 3), [3, 3, 3])).to.throw(/stamps: shape \[3, 3, 3\] holds 27 values but the array has 18/);
    expect(() => SourceBank.fromArray([1, 2], [1, 2])).to.throw(/expected at least one stamp of at least 2 x 2 pixels, got shape \[1, 2\]/);
  });
});
