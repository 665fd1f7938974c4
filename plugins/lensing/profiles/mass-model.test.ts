import { expect } from 'chai';
import { z } from '../../../core/index.js';
import { loadFixture, maxAbsError, maxRelativeError } from '../testing/fixtures.js';
import { parameterInfo } from './profile-params.js';
import { createMassProfile, MASS_PROFILE_PARAMS, MassModel } from './mass-model.js';
import { SpecValidationError } from './spec-validation-error.js';
import { lensingCatalog } from '../testing/lensing-catalog.js';

/** The lensing plugin's profiles from a registry, passed explicitly (no default catalog anywhere). */
const catalog = lensingCatalog();
interface ModelEntry {
  lens_model_list: string[];
  kwargs_list: Record<string, number>[];
  [q: string]: unknown;
}

const lens = loadFixture('lens_models.json');
const px: number[] = lens.points.x;
const py: number[] = lens.points.y;

function modelFor(m: ModelEntry): MassModel {
  return MassModel.fromKwargs(catalog, m.lens_model_list.map((t, i) => ({ type: t, ...m.kwargs_list[i] })));
}

function evaluate(model: MassModel): Record<string, number[]> {
  const out: Record<string, number[]> = {
    alpha_x: [], alpha_y: [], potential: [], kappa: [], f_xx: [], f_xy: [], f_yy: [], gamma1: [], gamma2: [], beta_x: [], beta_y: [],
  };
  px.forEach((x, i) => {
    const y = py[i];
    const [ax, ay] = model.deflection(x, y);
    out.alpha_x.push(ax); out.alpha_y.push(ay);
    out.potential.push(model.potential(x, y));
    const h = model.hessian(x, y);
    expect(h[1]).to.equal(h[2]);
    out.f_xx.push(h[0]); out.f_xy.push(h[1]); out.f_yy.push(h[3]);
    out.kappa.push(model.convergence(x, y));
    const [g1, g2] = model.shear(x, y);
    out.gamma1.push(g1); out.gamma2.push(g2);
    const [bx, by] = model.rayShoot(x, y);
    out.beta_x.push(bx); out.beta_y.push(by);
  });
  return out;
}

describe('lensing/mass models vs lenstronomy 1.14.2 fixtures (lens_models.json)', () => {
  // 7 significant digits stored: relative 1e-6 (absolute below 1e-3)
  const firstDerivatives = ['alpha_x', 'alpha_y', 'potential', 'beta_x', 'beta_y'];
  const secondDerivatives = ['kappa', 'f_xx', 'f_xy', 'f_yy', 'gamma1', 'gamma2'];

  for (const c of lens.cases) {
    for (const name of Object.keys(c.models)) {
      it(`${c.name} ${name}: every stored quantity at all 50 points`, () => {
        const m = c.models[name] as ModelEntry;
        const got = evaluate(modelFor(m));
        const quantities = [...firstDerivatives, ...secondDerivatives].filter((q) => Array.isArray(m[q]));
        expect(quantities.length).to.be.greaterThan(8);
        for (const q of quantities) {
          const ref = m[q] as number[];
          if (name === 'SIE' && secondDerivatives.includes(q)) {
            // lenstronomy's SIE Hessian is a forward finite difference (step 1e-10): ~5e-6 noise
            expect(maxAbsError(got[q], ref), `${name} ${q}`).to.be.lessThan(1e-5);
          } else {
            const { err, at } = maxRelativeError(got[q], ref);
            expect(err, `${name} ${q} worst at point ${at}`).to.be.lessThan(1e-6);
          }
        }
      });
    }
  }

  it('SIE second derivatives equal EPL(gamma = 2) fixture values to 7 digits', () => {
    for (const c of lens.cases) {
      const got = evaluate(modelFor(c.models.SIE));
      for (const q of ['kappa', 'f_xx', 'f_xy', 'f_yy']) {
        expect(maxRelativeError(got[q], c.models.EPL_gamma2[q]).err, q).to.be.lessThan(1e-6);
      }
    }
  });

  it('rayShootMany (fast kernels) matches the fixture beta and the exact deflection', () => {
    for (const c of lens.cases) {
      const m = c.models['EPL+SHEAR'] as ModelEntry;
      const model = modelFor(m);
      const xs = Float64Array.from(px), ys = Float64Array.from(py);
      const bx = new Float64Array(px.length), by = new Float64Array(px.length);
      model.rayShootMany(xs, ys, bx, by);
      expect(maxRelativeError(bx, m.beta_x as number[]).err).to.be.lessThan(1e-6);
      expect(maxRelativeError(by, m.beta_y as number[]).err).to.be.lessThan(1e-6);
      px.forEach((x, i) => {
        const [ex, ey] = model.rayShoot(x, py[i]);
        expect(bx[i]).to.be.closeTo(ex, 1e-12);
        expect(by[i]).to.be.closeTo(ey, 1e-12);
      });
    }
  });

  describe('input validation', () => {
    it('lists the allowed types for an unknown profile type', () => {
      expect(() => createMassProfile(catalog, { type: 'NFW', Rs: 1 }, 'lens[2]')).to.throw(
        SpecValidationError, 'lens[2].type: unknown mass profile "NFW"; expected one of EPL, SIE, SIS, SHEAR');
    });

    it('names a missing required parameter', () => {
      expect(() => createMassProfile(catalog, { type: 'EPL', theta_E: 1 }, 'lens[0]')).to.throw(
        'lens[0].gamma: missing required parameter of EPL (expected a number in [1.2, 2.9])');
      expect(() => createMassProfile(catalog, { type: 'SHEAR', gamma1: 0.1 }, 'lens[1]')).to.throw(
        'lens[1].gamma2: missing required parameter of SHEAR (expected a number in [-0.5, 0.5])');
    });

    it('reports out-of-range and non-numeric values with the path, range and value', () => {
      expect(() => createMassProfile(catalog, { type: 'EPL', theta_E: 1, gamma: 3.5 }, 'lens[0]')).to.throw(
        'lens[0].gamma: expected a number in [1.2, 2.9] for EPL, got 3.5');
      expect(() => createMassProfile(catalog, { type: 'SIS', theta_E: 0 }, 'lens[0]')).to.throw(
        'lens[0].theta_E: expected a number in (0, 100] for SIS, got 0');
      expect(() => createMassProfile(catalog, { type: 'SIE', theta_E: '1' }, 'lens[0]')).to.throw(
        'lens[0].theta_E: expected a number in (0, 100] for SIE, got "1"');
      expect(() => createMassProfile(catalog, { type: 'EPL', theta_E: 1, gamma: NaN }, 'lens[0]')).to.throw(
        'lens[0].gamma: expected a number in [1.2, 2.9] for EPL, got NaN');
    });

    it('rejects unknown parameters and an ellipticity modulus above 0.9', () => {
      expect(() => createMassProfile(catalog, { type: 'SIS', theta_E: 1, gamma: 2 }, 'lens[0]')).to.throw(
        'lens[0].gamma: unknown parameter for SIS; allowed: theta_E, center_x, center_y');
      expect(() => createMassProfile(catalog, { type: 'SIE', theta_E: 1, e1: 0.7, e2: 0.7 }, 'lens[0]')).to.throw(
        'lens[0].e1/e2: expected sqrt(e1^2 + e2^2) <= 0.9 for SIE, got 0.989949');
    });

    it('rejects non-objects and a missing type', () => {
      expect(() => createMassProfile(catalog, 3, 'lens[0]')).to.throw('lens[0]: expected an object like { "type": ..., <parameters> }, got 3');
      expect(() => createMassProfile(catalog, { theta_E: 1 }, 'lens[0]')).to.throw('lens[0].type: missing; expected one of EPL, SIE, SIS, SHEAR');
    });

    it('MassModel.fromKwargs reports every problem of every profile at once', () => {
      let err: SpecValidationError | undefined;
      try {
        MassModel.fromKwargs(catalog, [{ type: 'EPL', theta_E: -1, gamma: 2 }, { type: 'SHEAR', gamma1: 0.9, gamma2: 0 }, { type: 'PEMD' }]);
      } catch (e) { err = e as SpecValidationError; }
      expect(err).to.be.instanceOf(SpecValidationError);
      expect(err!.issues).to.deep.equal([
        'lens[0].theta_E: expected a number in (0, 100] for EPL, got -1',
        'lens[1].gamma1: expected a number in [-0.5, 0.5] for SHEAR, got 0.9',
        'lens[2].type: unknown mass profile "PEMD"; expected one of EPL, SIE, SIS, SHEAR',
      ]);
      expect(err!.message).to.match(/^lens model list is invalid \(3 problems\):\n {2}- lens\[0\]\.theta_E/);
    });

    it('every parameter schema has defaults inside their own ranges, and is the one its component validates with', () => {
      for (const [type, schema] of Object.entries(MASS_PROFILE_PARAMS)) {
        expect(catalog.massComponent(type)!.parameters, type).to.equal(schema);
        let defaults = 0;
        for (const p of parameterInfo(schema)) {
          if (p.default === undefined) continue;
          const field = schema.shape[p.name];
          const inner = (field instanceof z.ZodDefault ? field.unwrap() : field) as z.ZodType;
          expect(inner.safeParse(p.default).success, `${type}.${p.name} = ${p.default}`).to.equal(true);
          expect(inner.safeParse(1e6).success, `${type}.${p.name} rejects 1e6`).to.equal(false); // the range is checked, not only the type
          defaults++;
        }
        expect(defaults, type).to.be.greaterThan(0);
      }
    });
  });
});
