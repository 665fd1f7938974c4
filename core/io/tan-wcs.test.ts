import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFitsImageHdus, writeFitsImageHdus } from './fits-image-hdus.js';
import { pixelToWorld, skyCentre, tanDeproject, tanGrid, tanProject, tanWcsCards, worldToPixel, type TanWcs } from './tan-wcs.js';

/**
 * Reference: astropy 8.0.1, `WCS(fits.open(f)[1].header).pixel_to_world_values(x, y)` (origin 0)
 * on the headers written below by writeFitsImageHdus(tanWcsCards(tanGrid(...))) (MASK extension).
 */
const ASTROPY: Record<string, { grid: [number, number, number, number]; pts: Array<[number, number, number, number]> }> = {
  cosmos: { grid: [150.1, 2.2, 64, 0.7], pts: [[0, 0, 150.467675433, 1.8324673344], [63, 0, 149.732324567, 1.8324673344], [0, 63, 150.4678566663, 2.5674421148], [31.5, 31.5, 150.1, 2.2], [10, 50, 150.3510530792, 2.4158091488]] },
  ra0: { grid: [359.95, -30, 33, 1.5], pts: [[0, 0, 0.4137393074, -30.3991743923], [32, 32, 359.4899838802, -29.5992133809], [16, 16, 359.95, -30.0], [5, 27, 0.2666619186, -29.7246253155]] },
  pole: { grid: [45, 89.5, 16, 3], pts: [[0, 0, 68.1990795138, 89.0480442978], [15, 15, 333.4360396376, 89.6047265802], [7.5, 7.5, 45.0, 89.5], [3, 12, 84.2891800603, 89.6446847227]] },
};

const dRa = (a: number, b: number) => Math.abs(((a - b + 540) % 360) - 180);

function headerWcs(h: Map<string, unknown>): TanWcs {
  const g = (k: string) => Number(h.get(k));
  return { crval: [g('CRVAL1'), g('CRVAL2')], crpix: [g('CRPIX1'), g('CRPIX2')], cdelt: [g('CDELT1'), g('CDELT2')], naxis: [g('NAXIS1'), g('NAXIS2')] };
}

describe('core/io tan-wcs: gnomonic projection and FITS WCS cards', () => {
  for (const [name, ref] of Object.entries(ASTROPY)) {
    it(`pixel centre -> (ra, dec) matches astropy to 1e-6 deg (${name}), through the header written to FITS`, () => {
      const [ra0, dec0, n, pix] = ref.grid;
      const file = join(mkdtempSync(join(tmpdir(), 'lf-wcs-')), `${name}.fits`);
      writeFitsImageHdus(file, [{ data: new Float32Array(n * n), shape: [n, n], header: tanWcsCards(tanGrid(ra0, dec0, n, pix)) },
        { name: 'MASK', data: new Float32Array(n * n), shape: [n, n], header: tanWcsCards(tanGrid(ra0, dec0, n, pix)) }]);
      const hdus = readFitsImageHdus(file);
      expect(hdus.map((h) => h.name)).to.deep.equal([undefined, 'MASK']);
      const h = hdus[1].header;
      expect([h.get('CTYPE1'), h.get('CTYPE2'), h.get('CUNIT1'), h.get('CUNIT2'), h.get('RADESYS'), h.get('EQUINOX')]).to.deep.equal(['RA---TAN', 'DEC--TAN', 'deg', 'deg', 'ICRS', 2000]);
      const w = headerWcs(h);
      expect(w.cdelt[0], 'RA increases to the left').to.be.lessThan(0);
      for (const [x, y, ra, dec] of ref.pts) {
        const p = pixelToWorld(w, x, y);
        expect(dRa(p.ra, ra), `ra of pixel (${x}, ${y})`).to.be.lessThan(1e-6);
        expect(Math.abs(p.dec - dec), `dec of pixel (${x}, ${y})`).to.be.lessThan(1e-6);
        const back = worldToPixel(w, ra, dec)!;
        expect(Math.abs(back.x - x) + Math.abs(back.y - y), `pixel of (${ra}, ${dec})`).to.be.lessThan(1e-6);
      }
    });
  }

  it('RA increases to the left and Dec upwards on tanGrid: a point east of the centre has a smaller column', () => {
    const w = tanGrid(10, 0, 11, 1);
    const c = worldToPixel(w, 10, 0)!;
    expect([c.x, c.y]).to.deep.equal([5, 5]);
    expect(worldToPixel(w, 10 + 2 / 60, 0)!.x).to.be.closeTo(3, 1e-6);
    expect(worldToPixel(w, 10, 3 / 60)!.y).to.be.closeTo(8, 1e-6);
  });

  it('tanProject / tanDeproject round-trip to 1e-9 deg near the pole and across RA = 0', () => {
    const cases: Array<[number, number, number, number]> = [
      [0, 89.99, 123, 89.95], [0, 89.99, 300, 89.9], [200, -89.5, 20, -89.2], [45, 90, 170, 89.3],
      [359.9, 10, 0.05, 10.1], [0.02, -5, 359.8, -5.2], [359.99, 0, 0.01, 0.01],
    ];
    for (const [ra0, dec0, ra, dec] of cases) {
      const p = tanProject(ra, dec, ra0, dec0)!;
      const q = tanDeproject(p.xi, p.eta, ra0, dec0);
      expect(dRa(q.ra, ra) * Math.cos((dec * Math.PI) / 180), `ra (${ra0}, ${dec0}) -> (${ra}, ${dec})`).to.be.lessThan(1e-9);
      expect(Math.abs(q.dec - dec)).to.be.lessThan(1e-9);
      expect(q.ra).to.be.within(0, 360);
    }
    // across RA = 0: a point just east of RA 0 has ξ > 0 about a centre at RA 359.9
    expect(tanProject(0.1, 0, 359.9, 0)!.xi).to.be.closeTo(0.2, 1e-6);
    expect(tanProject(0, -40, 0, 60), 'beyond 90 deg: off the tangent plane').to.equal(undefined);
  });

  it('skyCentre averages unit vectors (across RA = 0, at the pole)', () => {
    const c = skyCentre([359, 1], [0, 0]);
    expect(dRa(c.ra, 0)).to.be.lessThan(1e-9);
    expect(Math.abs(c.dec)).to.be.lessThan(1e-9);
    expect(skyCentre([0, 90, 180, 270], [89, 89, 89, 89]).dec).to.be.closeTo(90, 1e-9);
    expect(() => skyCentre([], [])).to.throw('sky centre: the positions have no defined mean direction (empty or antipodal); give the centre explicitly');
  });

  it('tanGrid refuses a bad size, pixel scale or centre naming the value', () => {
    expect(() => tanGrid(0, 0, 0, 1)).to.throw('grid size: expected an integer >= 1, got 0');
    expect(() => tanGrid(0, 0, 8, -1)).to.throw('pixel scale: expected a number of arcmin > 0, got -1');
    expect(() => tanGrid(0, 95, 8, 1)).to.throw('centre: expected RA in degrees and Dec in [-90, 90], got (0, 95)');
  });
});
