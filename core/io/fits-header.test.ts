import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFits, readFits } from './fits.js';
import { MAX_ALLOC_ENV } from '../registry/allocation-limit.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lf-fits-'));

function withCard(buf: Uint8Array, key: string, value: string): Buffer {
  const b = Buffer.from(buf);
  const text = b.toString('latin1', 0, 2880);
  const at = text.indexOf(key.padEnd(8) + '= ');
  b.write((key.padEnd(8) + '= ' + value.padStart(20)).padEnd(80), at, 'latin1');
  return b;
}

describe('FITS headers are checked before allocating', () => {
  it('refuses NAXIS1 = 99999999999 from the header, naming the file and NAXISn', () => {
    const d = tmp();
    const p = join(d, 'psf.fits');
    writeFileSync(p, withCard(encodeFits(new Float32Array(9), [3, 3]), 'NAXIS1', '99999999999'));
    expect(() => readFits(p)).to.throw(`${p}: FITS data is truncated: the header (NAXIS1 = 99999999999, NAXIS2 = 3, BITPIX = -32) describes 1199999999988 bytes of data, the file holds 2880`);
    writeFileSync(p, withCard(encodeFits(new Float32Array(9), [3, 3]), 'NAXIS2', '-4'));
    expect(() => readFits(p)).to.throw(`${p}: FITS header NAXIS2 = -4; expected a non-negative integer`);
  });

  it('refuses data over the allocation limit', () => {
    const d = tmp();
    const p = join(d, 'big.fits');
    writeFileSync(p, encodeFits(new Float32Array(512 * 512), [512, 512]));
    const prev = process.env[MAX_ALLOC_ENV];
    process.env[MAX_ALLOC_ENV] = '0.5';
    try {
      expect(() => readFits(p)).to.throw(`${p}: NAXIS1 = 512 x NAXIS2 = 512 needs about 1.00 MiB for the float32 image, more than the allocation limit of 512.0 KiB (LENSFORGE_MAX_ALLOC_MB=0.5); reduce NAXIS1 or NAXIS2`);
    } finally { if (prev === undefined) delete process.env[MAX_ALLOC_ENV]; else process.env[MAX_ALLOC_ENV] = prev; }
    expect(readFits(p).shape).to.deep.equal([512, 512]);
  });
});
