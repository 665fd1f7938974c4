import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFits } from './fits.js';
import { readFitsImageHdus, writeFitsImageHdus } from './fits-image-hdus.js';
import { readFitsTable } from './fits-table.js';
import { writeFitsTable } from './fits-table-writer.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lf-hdus-'));

describe('core/io multi-HDU FITS images and FITS table writer', () => {
  it('writes a primary image and named extensions (2-D and a cube) that read back exactly, with their cards', () => {
    const f = join(tmp(), 'm.fits');
    const a = Float32Array.from({ length: 12 }, (_, i) => i - 3.5), cube = Float32Array.from({ length: 24 }, (_, i) => i * 0.25), inf = Float32Array.from([1, Infinity, 2, 3, 4, 5]);
    writeFitsImageHdus(f, [
      { name: 'KAPPA', data: a, shape: [3, 4], header: { BUNIT: 'convergence', CRVAL1: 150.123456789012, CDELT1: -1 / 60 } },
      { name: 'SAMPLES', data: cube, shape: [2, 3, 4] },
      { name: 'NOISE', data: inf, shape: [2, 3] },
    ]);
    const h = readFitsImageHdus(f);
    expect(h.map((x) => [x.name, x.shape])).to.deep.equal([['KAPPA', [3, 4]], ['SAMPLES', [2, 3, 4]], ['NOISE', [2, 3]]]);
    expect(Array.from(h[0].data)).to.deep.equal(Array.from(a));
    expect(Array.from(h[1].data)).to.deep.equal(Array.from(cube));
    expect(h[2].data[1]).to.equal(Infinity);
    expect(h[0].header.get('CRVAL1')).to.be.closeTo(150.123456789012, 1e-10);
    expect(h[0].header.get('CDELT1')).to.be.closeTo(-1 / 60, 1e-15);
    expect(h[0].header.get('EXTEND')).to.equal(true);
    const p = readFits(f);
    expect(p.shape).to.deep.equal([3, 4]);
    expect(p.header.BUNIT).to.equal('convergence');
  });

  it('refuses an unnamed extension, a shape that does not match and a reserved key, naming them', () => {
    const f = join(tmp(), 'x.fits');
    const d = new Float32Array(4);
    expect(() => writeFitsImageHdus(f, [{ data: d, shape: [2, 2] }, { data: d, shape: [2, 2] }])).to.throw('fits: extension 1 needs a name (EXTNAME)');
    expect(() => writeFitsImageHdus(f, [{ name: 'A', data: d, shape: [3, 2] }])).to.throw('fits primary HDU: shape [3, 2] holds 6 values but the array has 4');
    expect(() => writeFitsImageHdus(f, [{ data: d, shape: [2, 2], header: { NAXIS1: 3 } }])).to.throw('fits primary HDU: header key NAXIS1 is written from the data and the HDU list; do not pass it');
  });

  it('writes a float64 binary table that readFitsTable reads back', () => {
    const f = join(tmp(), 't.fits');
    writeFitsTable(f, [{ name: 'RA', values: [150.000000001, 359.5] }, { name: 'E1', values: [-0.25, 0.125] }]);
    const t = readFitsTable(f);
    expect(t.columns).to.deep.equal(['RA', 'E1']);
    expect(t.rows.map((r) => r.map(Number))).to.deep.equal([[150.000000001, -0.25], [359.5, 0.125]]);
    expect(() => writeFitsTable(f, [{ name: 'A', values: [1] }, { name: 'B', values: [1, 2] }])).to.throw('fits table: column "B" has 2 values, column "A" 1');
  });
});
