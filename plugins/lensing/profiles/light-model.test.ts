import { expect } from 'chai';
import { createLightProfile, LIGHT_PROFILE_PARAMS, LightModel } from './light-model.js';
import { SpecValidationError } from './spec-validation-error.js';
import { lensingCatalog } from '../testing/lensing-catalog.js';

/** The lensing plugin's profiles from a registry, passed explicitly (no default catalog anywhere). */
const catalog = lensingCatalog();
describe('lensing/light model input validation', () => {
  it('lists the allowed types for an unknown light profile', () => {
    expect(() => createLightProfile(catalog, { type: 'GAUSSIAN', amp: 1 }, 'source[0]')).to.throw(
      'source[0].type: unknown light profile "GAUSSIAN"; expected one of SERSIC, SERSIC_ELLIPSE, CORE_SERSIC');
  });

  it('names missing parameters and bad values', () => {
    expect(() => createLightProfile(catalog, { type: 'SERSIC_ELLIPSE', amp: 1, n_sersic: 2 }, 'lensLight[0]')).to.throw(
      'lensLight[0].R_sersic: missing required parameter of SERSIC_ELLIPSE (expected a number in (0, 100])');
    expect(() => createLightProfile(catalog, { type: 'SERSIC', amp: -1, R_sersic: 1, n_sersic: 2 }, 'source[0]')).to.throw(
      'source[0].amp: expected a number in [0, 1000000000000] for SERSIC, got -1');
    expect(() => createLightProfile(catalog, { type: 'SERSIC', amp: 1, R_sersic: 1, n_sersic: 12 }, 'source[0]')).to.throw(
      'source[0].n_sersic: expected a number in [0.2, 10] for SERSIC, got 12');
    expect(() => createLightProfile(catalog, { type: 'SERSIC', amp: 1, R_sersic: 1, n_sersic: 2, e1: 0.1 }, 'source[0]')).to.throw(
      'source[0].e1: unknown parameter for SERSIC; allowed: amp, R_sersic, n_sersic, center_x, center_y');
  });

  it('LightModel.fromKwargs reports every problem at once with its path', () => {
    let err: SpecValidationError | undefined;
    try {
      LightModel.fromKwargs(catalog, [{ type: 'SERSIC_ELLIPSE', amp: 1, R_sersic: 1, n_sersic: 2, e1: 0.95 }, { type: 'CORE_SERSIC', amp: 1 }], 'source');
    } catch (e) { err = e as SpecValidationError; }
    expect(err!.issues).to.deep.equal([
      'source[0].e1: expected a number in [-0.9, 0.9] for SERSIC_ELLIPSE, got 0.95',
      'source[1].R_sersic: missing required parameter of CORE_SERSIC (expected a number in (0, 100])',
      'source[1].Rb: missing required parameter of CORE_SERSIC (expected a number in [0, 100])',
      'source[1].n_sersic: missing required parameter of CORE_SERSIC (expected a number in [0.2, 10])',
      'source[1].gamma: missing required parameter of CORE_SERSIC (expected a number in [0, 10])',
    ]);
  });

  it('fills defaults from the parameter schemas', () => {
    const p = createLightProfile(catalog, { type: 'CORE_SERSIC', amp: 1, R_sersic: 1, Rb: 0.1, n_sersic: 2, gamma: 0.2 }) as unknown as { params: Record<string, number> };
    expect(p.params.alpha).to.equal(3);
    expect(p.params.center_x).to.equal(0);
    for (const [type, schema] of Object.entries(LIGHT_PROFILE_PARAMS)) expect(catalog.lightComponent(type)!.parameters, type).to.equal(schema);
  });
});
