/**
 * A third-party plugin adds a mass profile (POINT_MASS) without touching the lensing plugin: it
 * is loaded into a Registry next to the lensing plugin and used by name in a render spec through
 * the `render` command's own code path.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { component, ConfigError, definePlugin, readNpy, Registry, z } from '../../../core/index.js';
import {
  CENTER_X, CENTER_Y, lensingPlugin, profileParameters, ProfileCatalog, renderCommand, SersicProfile,
  type MassProfile, type MassProfileComponent,
} from '../index.js';

/** Point mass: psi = theta_E^2 ln r, alpha = theta_E^2 (x, y) / r^2 (Schneider, Ehlers & Falco 1992). */
class PointMass implements MassProfile {
  readonly type = 'POINT_MASS';
  constructor(private readonly p: Record<string, number>) {}
  deflection(x: number, y: number): [number, number] {
    const dx = x - this.p.center_x, dy = y - this.p.center_y, k = this.p.theta_E ** 2 / (dx * dx + dy * dy);
    return [k * dx, k * dy];
  }
  hessian(x: number, y: number): [number, number, number, number] {
    const dx = x - this.p.center_x, dy = y - this.p.center_y, r4 = (dx * dx + dy * dy) ** 2, t2 = this.p.theta_E ** 2;
    const fxy = -2 * t2 * dx * dy / r4;
    return [t2 * (dy * dy - dx * dx) / r4, fxy, fxy, t2 * (dx * dx - dy * dy) / r4];
  }
  potential(x: number, y: number): number { return this.p.theta_E ** 2 * Math.log(Math.hypot(x - this.p.center_x, y - this.p.center_y)); }
  convergence(): number { return 0; }
  addDeflections(xs: Float64Array, ys: Float64Array, ax: Float64Array, ay: Float64Array, n: number): void {
    for (let i = 0; i < n; i++) { const [a, b] = this.deflection(xs[i], ys[i]); ax[i] += a; ay[i] += b; }
  }
}

const POINT_MASS_PARAMS = profileParameters('POINT_MASS', {
  theta_E: z.number().gt(0).lte(100).describe('Einstein radius [arcsec]'),
  center_x: CENTER_X, center_y: CENTER_Y,
});

@component({ kind: 'mass-profile', name: 'point-lens/point-mass', description: 'point mass', options: z.strictObject({}) })
class PointMassComponent implements MassProfileComponent {
  readonly type: string = 'POINT_MASS';
  readonly parameters = POINT_MASS_PARAMS;
  create(params: Record<string, number>): MassProfile { return new PointMass(params); }
}

const pointLensPlugin = definePlugin({ name: 'point-lens', components: [PointMassComponent] });

describe('lensing/profile registry: a third-party mass profile', () => {
  let dir: string;
  let registry: Registry;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lensforge-point-'));
    registry = new Registry();
    registry.loadPlugin(lensingPlugin);
    registry.loadPlugin(pointLensPlugin);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is listed next to the built-in profiles', () => {
    expect(registry.list('mass-profile').map((c) => c.name)).to.include.members(['lensing/epl', 'point-lens/point-mass']);
    const cat = ProfileCatalog.fromRegistry(registry);
    expect(cat.massTypes()).to.deep.equal(['EPL', 'SIE', 'SIS', 'SHEAR', 'POINT_MASS']);
    expect(cat.lightTypes()).to.deep.equal(['SERSIC', 'SERSIC_ELLIPSE', 'CORE_SERSIC', 'INTERPOL']);
  });

  it('renders POINT_MASS by name through the render command: each pixel is the source at beta = theta - theta_E^2 theta / r^2', async () => {
    const numPix = 8, deltaPix = 0.25, thetaE = 0.7;
    const source = { amp: 10, R_sersic: 0.4, n_sersic: 1.5, e1: 0.1, e2: -0.05, center_x: 0.05, center_y: -0.1 };
    const spec = {
      numPix, deltaPix, lens: [{ type: 'POINT_MASS', theta_E: thetaE }],
      source: [{ type: 'SERSIC_ELLIPSE', ...source }], psf: { type: 'NONE' },
    };
    writeFileSync(join(dir, 'point.json'), JSON.stringify(spec));
    await renderCommand.action([join(dir, 'point.json')], { out: join(dir, 'point.npy') }, { registry });
    const got = readNpy(join(dir, 'point.npy'));
    expect(got.shape).to.deep.equal([numPix, numPix]);
    const sersic = new SersicProfile(source);
    let maxAbs = 0;
    for (let i = 0; i < numPix; i++) {
      for (let j = 0; j < numPix; j++) {
        const x = (j - (numPix - 1) / 2) * deltaPix, y = (i - (numPix - 1) / 2) * deltaPix, k = thetaE ** 2 / (x * x + y * y);
        const want = sersic.surfaceBrightness(x - k * x, y - k * y) * deltaPix ** 2; // pixel flux = SB x pixel area
        maxAbs = Math.max(maxAbs, want);
        expect(got.data[i * numPix + j]).to.be.closeTo(want, 1e-6 * Math.max(0.1, want));
      }
    }
    expect(maxAbs).to.be.greaterThan(0.05); // the test image is not empty
  });

  it('validates its parameters by its spec, and unknown types list the registered ones with the closest match', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ numPix: 8, deltaPix: 0.25, lens: [{ type: 'POINT_MAS', theta_E: 1 }, { type: 'POINT_MASS', theta_E: -1 }] }));
    let err: unknown;
    try { await renderCommand.action([join(dir, 'bad.json')], { out: join(dir, 'bad.npy') }, { registry }); } catch (e) { err = e; }
    expect(err).to.be.instanceOf(ConfigError);
    const lines = (err as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
    expect(lines).to.deep.equal([
      'lens[0].type: unknown mass profile "POINT_MAS"; expected one of EPL, SIE, SIS, SHEAR, POINT_MASS; closest match: POINT_MASS',
      'lens[1].theta_E: expected a number in (0, 100] for POINT_MASS, got -1',
    ]);
    // without the plugin (a registry of the built-in plugins only) the type is unknown
    const plain = new Registry();
    plain.loadPlugin(lensingPlugin);
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ numPix: 4, deltaPix: 0.25, lens: [{ type: 'POINT_MASS', theta_E: 1 }] }));
    let err2: unknown;
    try { await renderCommand.action([join(dir, 'ok.json')], { out: join(dir, 'ok.npy') }, { registry: plain }); } catch (e) { err2 = e; }
    expect((err2 as ConfigError).issues[0].message).to.equal('unknown mass profile "POINT_MASS"; expected one of EPL, SIE, SIS, SHEAR');
    expect(() => readFileSync(join(dir, 'ok.npy'))).to.throw(/ENOENT/);
  });

  it('rejects two components with the same lenstronomy type', () => {
    @component({ kind: 'mass-profile', name: 'other/epl', description: 'clash', options: z.strictObject({}) })
    class OtherEpl extends PointMassComponent { override readonly type = 'EPL'; }
    const r = new Registry();
    r.loadPlugin(lensingPlugin);
    r.loadPlugin(definePlugin({ name: 'other', components: [OtherEpl] }));
    expect(() => ProfileCatalog.fromRegistry(r)).to.throw('mass-profile type "EPL": provided by both lensing/epl (plugin lensing) and other/epl (plugin other); each lenstronomy type must be registered once');
  });
});
