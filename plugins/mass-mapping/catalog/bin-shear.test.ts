import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readShearCatalog, parseShearColumns, type ShearCatalog } from './shear-catalog.js';
import { binShearCatalog } from './bin-shear.js';
import { writeShearCatalogFits } from './synthetic-catalog.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lf-cat-'));
function csv(text: string): string { const f = join(tmp(), 'cat.csv'); writeFileSync(f, text); return f; }
function cat(rows: number[][]): ShearCatalog {
  const c = (k: number) => Float64Array.from(rows, (r) => r[k]);
  return { file: 'mem', count: rows.length, columns: { ra: 'ra', dec: 'dec', e1: 'e1', e2: 'e2' }, ra: c(0), dec: c(1), e1: c(2), e2: c(3), weight: Float64Array.from(rows, (r) => r[4] ?? 1) };
}

describe('mass-mapping catalogue: reading and binning a shear catalogue', () => {
  it('puts RA increasing to the left and Dec upwards (row 0 = lowest Dec, column 0 = highest RA); γ = e in the displayed frame', () => {
    // 5x5 grid of 1' pixels about (20, 0); one galaxy 2' east, one 2' north
    const b = binShearCatalog(cat([[20 + 2 / 60, 0, 0.1, 0.2], [20, 2 / 60, -0.3, 0.05]]), { n: 5, pixelArcmin: 1, center: { ra: 20, dec: 0 }, shapeNoise: 0.3 });
    const east = 2 * 5 + 0, north = 4 * 5 + 2;   // (row, column) = (2, 0) and (4, 2)
    expect(Array.from(b.mask).map((m, i) => (m ? i : -1)).filter((i) => i >= 0)).to.deep.equal([east, north]);
    expect([b.shear.gamma1[east], b.shear.gamma2[east], b.shear.gamma1[north], b.shear.gamma2[north]]).to.deep.equal([0.1, 0.2, -0.3, 0.05]);
    const f = binShearCatalog(cat([[20 + 2 / 60, 0, 0.1, 0.2]]), { n: 5, pixelArcmin: 1, center: { ra: 20, dec: 0 }, shapeNoise: 0.3, flipE2: true });
    expect([f.shear.gamma1[east], f.shear.gamma2[east]]).to.deep.equal([0.1, -0.2]);
    expect(b.wcs.cdelt[0]).to.be.lessThan(0);
    expect(b.masked).to.equal(23);
    expect(b.sigma[0]).to.equal(Infinity);
  });

  it('weighted mean per pixel, n_eff = (Σw)²/Σw², σ = σ_e/sqrt(n_eff); σ_e measured from the e scatter when not given', () => {
    const b = binShearCatalog(cat([[0, 0, 0.2, 0.0, 1], [0, 0, -0.1, 0.3, 3], [0.8 / 60, 0.2 / 60, 0.4, 0.4, 2]]), { n: 3, pixelArcmin: 1, center: { ra: 0, dec: 0 } });
    const c = 4;   // the centre pixel holds galaxies 0 and 1; galaxy 2 (0.8' east) is in column 0
    expect(b.shear.gamma1[c]).to.be.closeTo((0.2 * 1 - 0.1 * 3) / 4, 1e-12);
    expect(b.shear.gamma2[c]).to.be.closeTo((0.3 * 3) / 4, 1e-12);
    expect(b.nEff[c]).to.be.closeTo(16 / 10, 1e-12);
    const sigmaE = Math.sqrt((1 * 0.04 + 3 * (0.01 + 0.09) + 2 * 0.32) / (2 * 6));
    expect(b.shapeNoise).to.be.closeTo(sigmaE, 1e-12);
    expect(b.shapeNoiseMeasured).to.equal(true);
    expect(b.sigma[c]).to.be.closeTo(sigmaE / Math.sqrt(1.6), 1e-12);
    expect(b.ngal[c]).to.equal(2);
    expect(b.used).to.equal(3);
  });

  it('reads CSV and FITS tables with renamed columns and weights', () => {
    const f = csv('RA,DEC,g1,g2,w\n10,1,0.1,0.2,2\n10.01,1.01,-0.1,0,1\n');
    const c = readShearCatalog(f, parseShearColumns('ra=RA,dec=DEC,e1=g1,e2=g2,weight=w'));
    expect([c.count, Array.from(c.e1), Array.from(c.weight)]).to.deep.equal([2, [0.1, -0.1], [2, 1]]);
    const fits = join(tmp(), 'cat.fits');
    writeShearCatalogFits(fits, c);
    const d = readShearCatalog(fits, parseShearColumns('ra=RA,dec=DEC,e1=E1,e2=E2,weight=WEIGHT'));
    expect(Array.from(d.ra)).to.deep.equal([10, 10.01]);
    expect(Array.from(d.e2)).to.deep.equal([0.2, 0]);
  });

  it('errors name the file, column and line/row: missing column, non-finite value, empty catalogue, bad --columns', () => {
    const f = csv('ra,dec,e1,g2\n10,1,0.1,0.2\n');
    expect(() => readShearCatalog(f)).to.throw(`catalogue ${f}: column "e2" (field e2) is missing; its columns: ra, dec, e1, g2; map fields to columns with --columns e2=NAME`);
    const g = csv('ra,dec,e1,e2\n10,1,0.1,0.2\n10,1,nan,0.2\n');
    expect(() => readShearCatalog(g)).to.throw(`catalogue ${g}, line 3, column "e1" (e1): expected a finite number, got "nan"`);
    const h = csv('ra,dec,e1,e2\n');
    expect(() => readShearCatalog(h)).to.throw(`catalogue ${h}: no galaxies (the table has a header but no rows)`);
    const e = csv('');
    expect(() => readShearCatalog(e)).to.throw(`catalogue ${e}: the file is empty; expected a header row with columns ra, dec, e1, e2 and one row per galaxy`);
    const fits = join(tmp(), 'bad.fits');
    writeShearCatalogFits(fits, cat([[1, 2, 0.1, 0.1], [1, 2, Infinity, 0]]));
    expect(() => readShearCatalog(fits, parseShearColumns('ra=RA,dec=DEC,e1=E1,e2=E2'))).to.throw(`catalogue ${fits}: HDU 1 (EXTNAME 'CATALOG'), row 2, column "E1" (e1): expected a finite number, got "Infinity"`);
    expect(() => parseShearColumns('ra=RA,shear=g')).to.throw('--columns: unknown field "shear"; expected one of ra, dec, e1, e2, weight');
    expect(() => readShearCatalog(join(tmp(), 'none.csv'))).to.throw('no such file; expected a CSV or FITS binary table with columns ra, dec, e1, e2');
  });

  it('a catalogue entirely outside the grid is refused (all pixels would be masked)', () => {
    expect(() => binShearCatalog(cat([[100, 50, 0, 0]]), { n: 8, pixelArcmin: 1, center: { ra: 10, dec: 0 }, shapeNoise: 0.3 }))
      .to.throw('catalogue mem: none of its 1 galaxies falls on the 8x8 grid of 1\' pixels centred on RA 10.00000, Dec 0.00000 (all 64 pixels would be masked); check --center, --size and --pixel-scale');
  });
});
