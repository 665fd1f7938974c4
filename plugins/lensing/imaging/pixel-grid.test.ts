import { expect } from 'chai';
import { loadFixture } from '../testing/fixtures.js';
import { downsampleMean, gridCoordinates, pixelCentre } from './pixel-grid.js';

describe('lensing/pixel grid (data_configure_simple, inverse=False)', () => {
  const images = loadFixture('images.json');

  it('matches the fixture pixel-centre check: row 0 is the most negative y, x grows with column', () => {
    const im = images.images[0];
    const chk = im.pixel_centre_check;
    const g = gridCoordinates(im.num_pix, im.delta_pix);
    const N = im.num_pix;
    expect(N).to.equal(64);
    expect(g.x[0]).to.be.closeTo(chk['x[0][0]'], 1e-12);
    expect(g.y[0]).to.be.closeTo(chk['y[0][0]'], 1e-12);
    expect(g.x[N - 1]).to.be.closeTo(chk['x[0][63]'], 1e-12);
    expect(g.y[(N - 1) * N]).to.be.closeTo(chk['y[63][0]'], 1e-12);
    expect(pixelCentre(0, 64, 0.08)).to.be.closeTo(-2.52, 1e-12);
    // even N: no pixel centre at the origin
    expect(Array.from(g.x).some((v) => v === 0)).to.equal(false);
  });

  it('places s x s sub-samples at (-1/2 + (k + 1/2)/s) deltaPix around each centre', () => {
    const g = gridCoordinates(4, 0.3, 3);
    expect(g.size).to.equal(12);
    const c = pixelCentre(1, 4, 0.3);
    expect(g.x[3]).to.be.closeTo(c - 0.1, 1e-12);
    expect(g.x[4]).to.be.closeTo(c, 1e-12);
    expect(g.x[5]).to.be.closeTo(c + 0.1, 1e-12);
    expect(g.y[5 * 12]).to.be.closeTo(c + 0.1, 1e-12);
  });

  it('downsampleMean averages blocks and applies the scale', () => {
    const hi = Float64Array.from({ length: 36 }, (_, i) => i);
    const out = new Float64Array(4);
    downsampleMean(hi, 2, 3, out, 2);
    // block (0,0): rows 0-2, cols 0-2 of a 6x6 ramp -> mean 7
    expect(Array.from(out)).to.deep.equal([14, 20, 50, 56]);
    const one = new Float64Array(4);
    downsampleMean(Float64Array.of(1, 2, 3, 4), 2, 1, one, 0.5);
    expect(Array.from(one)).to.deep.equal([0.5, 1, 1.5, 2]);
  });
});
