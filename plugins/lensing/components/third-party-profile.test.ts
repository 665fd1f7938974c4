/**
 * A third-party plugin adds a mass profile (POINT_MASS) without touching the lensing plugin: it
 * is loaded into a Registry next to the lensing plugin and used by name in a render spec through
 * the `render` command's own code path. A second plugin provides the EPL type itself (a traced
 * EPL, in a registry whose lensing manifest leaves its own EPL out), which proves that every path
 * (the strong-lens simulator, the render command, the population and its lens prior) builds its
 * profiles through the registry's catalog and never through a built-in default.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { component, ComponentFactory, ConfigError, definePlugin, readNpy, Registry, Rng, z, type LensforgePlugin } from '../../../core/index.js';
import {
  CENTER_X, CENTER_Y, createMassProfile, EPL_PARAMS, EplComponent, EplProfile, lensingPlugin, LensPopulation, lensMassProfiles,
  profileParameters, ProfileCatalog, renderCommand, renderSystem, SersicProfile, StrongLensSimulator,
  type EplParams, type MassProfile, type MassProfileComponent, type MassProfileOptions,
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

/** EPL provided by a third-party plugin: the lensing numerics, counting every profile it builds. */
@component({ kind: 'mass-profile', name: 'traced/epl', description: 'EPL that counts its profiles (test plugin)', options: z.strictObject({}) })
class TracedEplComponent implements MassProfileComponent {
  static built = 0;
  readonly type: string = 'EPL';
  readonly parameters = EPL_PARAMS;
  create(params: Record<string, number>, options: MassProfileOptions = {}): MassProfile {
    TracedEplComponent.built++;
    return new EplProfile(params as unknown as EplParams, options);
  }
}

/** The lensing manifest without its own EPL (so that the traced plugin can provide the type). */
const lensingWithoutEpl: LensforgePlugin = definePlugin({ ...lensingPlugin, components: lensingPlugin.components.filter((c) => c !== EplComponent) });
const tracedPlugin = definePlugin({ name: 'traced', components: [TracedEplComponent] });

describe('lensing/profile registry: every path uses the registry\'s profiles', () => {
  let dir: string;
  let plain: Registry;
  let traced: Registry;
  const LENS = { theta_E: 1.1, gamma: 2.05, e1: 0.08, e2: -0.04, center_x: 0.03, center_y: -0.02, gamma1: 0.02, gamma2: -0.01 };
  const POP = { numPix: 24, deltaPix: 0.2 };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lensforge-traced-'));
    plain = new Registry();
    plain.loadPlugin(lensingPlugin);
    plain.loadPlugin(pointLensPlugin);
    traced = new Registry();
    traced.loadPlugin(lensingWithoutEpl);
    traced.loadPlugin(tracedPlugin);
    traced.loadPlugin(pointLensPlugin);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const simulator = (registry: Registry) => new ComponentFactory(registry, Rng.fromSeed(3))
    .create<StrongLensSimulator>('simulator', { use: 'lensing/strong-lens', ...POP }, 'data');

  it('the strong-lens simulator builds its EPL with the registered component, bit-identical to the built-in one', () => {
    const before = TracedEplComponent.built;
    const a = simulator(traced), b = simulator(plain);
    expect(a.population.catalog.massComponent('EPL')).to.be.instanceOf(TracedEplComponent);
    expect(a.population.catalog.massTypes()).to.deep.equal(['SIE', 'SIS', 'SHEAR', 'POINT_MASS', 'EPL']);
    expect(b.population.catalog.massTypes()).to.deep.equal(['EPL', 'SIE', 'SIS', 'SHEAR', 'POINT_MASS']);
    const sa = a.sample(4), sb = b.sample(4);
    expect(TracedEplComponent.built - before).to.equal(1);
    expect(sa.labels).to.deep.equal(sb.labels);
    expect(Array.from(sa.image)).to.deep.equal(Array.from(sb.image));
    a.renderView(sa, Rng.fromSeed(9));
    expect(TracedEplComponent.built - before).to.equal(2); // the LenSiam second view too
  });

  it('the render command builds EPL with the registered component', async () => {
    const spec = { numPix: 16, deltaPix: 0.2, lens: [{ type: 'EPL', theta_E: 1, gamma: 2.1, e1: 0.05 }], source: [{ type: 'SERSIC', amp: 5, R_sersic: 0.3, n_sersic: 1 }] };
    writeFileSync(join(dir, 'epl.json'), JSON.stringify(spec));
    const before = TracedEplComponent.built;
    await renderCommand.action([join(dir, 'epl.json')], { out: join(dir, 'epl.npy') }, { registry: traced });
    expect(TracedEplComponent.built - before).to.equal(1);
    const want = renderSystem(spec, ProfileCatalog.fromRegistry(plain));
    expect(Array.from(readNpy(join(dir, 'epl.npy')).data)).to.deep.equal(Array.from(want));
  });

  it('the population and its lens prior build EPL through the catalog they are given', () => {
    const catalog = ProfileCatalog.fromRegistry(traced);
    let before = TracedEplComponent.built;
    const [epl, shear] = lensMassProfiles(LENS, catalog);
    expect(TracedEplComponent.built - before).to.equal(1);
    expect(epl.deflection(0.4, -0.3)).to.deep.equal(lensMassProfiles(LENS, ProfileCatalog.fromRegistry(plain))[0].deflection(0.4, -0.3));
    expect(shear.type).to.equal('SHEAR');
    const pop = LensPopulation.fromOptions(POP, catalog);
    const scene = pop.drawScene(Rng.fromSeed(5));
    before = TracedEplComponent.built;
    const img = pop.render(scene, Rng.fromSeed(6));
    expect(TracedEplComponent.built - before).to.equal(1);
    const ref = LensPopulation.fromOptions(POP, ProfileCatalog.fromRegistry(plain)).render(scene, Rng.fromSeed(6));
    expect(Array.from(img)).to.deep.equal(Array.from(ref));
  });

  it('an unknown profile type names the catalog\'s types, the plugin\'s included, on every path', async () => {
    const sim = simulator(plain);
    expect(() => sim.population.catalog.createMass('POINT_MAS', {})).to.throw(
      'mass profile type: expected one of EPL, SIE, SIS, SHEAR, POINT_MASS (the registered mass-profile components), got "POINT_MAS"; closest match: POINT_MASS');
    const catalog = ProfileCatalog.fromRegistry(plain);
    expect(() => createMassProfile(catalog, { type: 'NFW', Rs: 1 }, 'lens[0]')).to.throw(
      'lens[0].type: unknown mass profile "NFW"; expected one of EPL, SIE, SIS, SHEAR, POINT_MASS');
    expect(() => LensPopulation.fromOptions(POP, catalog).catalog.createLight('GAUSSIAN', {})).to.throw(
      'light profile type: expected one of SERSIC, SERSIC_ELLIPSE, CORE_SERSIC, INTERPOL (the registered light-profile components), got "GAUSSIAN"');
    // a registry without EPL: the simulator's population cannot build its lens, and says which types exist
    const noEpl = new Registry();
    noEpl.loadPlugin(lensingWithoutEpl);
    noEpl.loadPlugin(pointLensPlugin);
    expect(() => simulator(noEpl).sample(0)).to.throw(
      /mass profile type: expected one of SIE, SIS, SHEAR, POINT_MASS \(the registered mass-profile components\), got "EPL"/);
    writeFileSync(join(dir, 'nfw.json'), JSON.stringify({ numPix: 4, deltaPix: 0.25, lens: [{ type: 'NFW', Rs: 1 }] }));
    let err: unknown;
    try { await renderCommand.action([join(dir, 'nfw.json')], { out: join(dir, 'nfw.npy') }, { registry: traced }); } catch (e) { err = e; }
    expect((err as ConfigError).issues.map((i) => `${i.path}: ${i.message}`)).to.deep.equal([
      'lens[0].type: unknown mass profile "NFW"; expected one of SIE, SIS, SHEAR, POINT_MASS, EPL']);
  });
});
