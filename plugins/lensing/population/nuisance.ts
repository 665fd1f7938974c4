/**
 * The nuisance part of a LenSiam image (Chang et al. 2023, section 2.2): everything that differs
 * between the two views of a positive pair — source galaxy (or two, for a merger), lens light,
 * PSF and noise — drawn for a given lens. Nuisances are plain serialisable objects; the light
 * profiles are built from them at render time.
 *
 * - Lens light: SERSIC_ELLIPSE whose centre and e1/e2 are the mass ones plus Gaussian offsets with
 *   sd = offsetFraction x (width of that parameter's prior range) (paper: 2.5%).
 * - Sources: kind drawn from the mixture weights (analytic SERSIC_ELLIPSE / CORE_SERSIC,
 *   procedural galaxy, or a bank stamp), centre = lens centre + uniform offset, total flux uniform;
 *   with probability mergerFraction a second source at a uniform distance and angle from the
 *   first, with flux ratio uniform (paper: 10% mergers).
 */
import type { Rng } from '../../../core/index.js';
import type { NoiseSpec } from '../imaging/noise.js';
import type { LensParams } from './lens-prior.js';
import { coreSersicAmpForFlux, sersicAmpForFlux } from './light-flux.js';
import type { PopulationOptions } from './population-options.js';
import { drawProceduralGalaxy, type ProceduralGalaxyParams } from './procedural-galaxy.js';

/** SERSIC_ELLIPSE lens light (lenstronomy names). */
export interface LensLightParams {
  amp: number;
  R_sersic: number;
  n_sersic: number;
  e1: number;
  e2: number;
  center_x: number;
  center_y: number;
}

/** Analytic SERSIC_ELLIPSE source. */
export interface SersicSource {
  kind: 'analytic';
  type: 'SERSIC_ELLIPSE';
  amp: number; R_sersic: number; n_sersic: number; e1: number; e2: number; center_x: number; center_y: number;
}
/** Analytic CORE_SERSIC source. */
export interface CoreSersicSource {
  kind: 'analytic';
  type: 'CORE_SERSIC';
  amp: number; R_sersic: number; Rb: number; n_sersic: number; gamma: number; alpha: number;
  e1: number; e2: number; center_x: number; center_y: number;
}
/** Procedural galaxy placed at a centre. */
export interface ProceduralSource {
  kind: 'procedural';
  galaxy: ProceduralGalaxyParams;
  center_x: number;
  center_y: number;
}
/** A stamp of the source bank (INTERPOL parameters). */
export interface BankSource {
  kind: 'bank';
  /** Stamp index in the bank. */
  index: number;
  amp: number;
  phi_G: number;
  /** Stamp pixel size on the sky [arcsec]. */
  scale: number;
  center_x: number;
  center_y: number;
  /** Total flux [counts/s] (amp x sum x scale^2). */
  flux: number;
}
export type SourceDescriptor = SersicSource | CoreSersicSource | ProceduralSource | BankSource;
export type SourceKind = 'analytic' | 'procedural' | 'bank';

/** Everything but the lens of one image. */
export interface Nuisance {
  lensLight: LensLightParams;
  sources: SourceDescriptor[];
  /** Index into the population's PSF list. */
  psf: number;
  noise: NoiseSpec | null;
}

/** What the draw needs to know about the population's loaded resources. */
export interface NuisanceContext {
  /** Number of PSFs to draw from (>= 1). */
  psfCount: number;
  /** Stamps in the source bank, and the sum of each (0 stamps: no bank). */
  bankSums: readonly number[];
}

const u = (rng: Rng, r: readonly [number, number]) => (r[0] === r[1] ? r[0] : rng.uniform(r[0], r[1]));

/** Rescales (e1, e2) so that |e| <= max (keeps the angle). */
function clipE(e1: number, e2: number, max = 0.85): [number, number] {
  const m = Math.hypot(e1, e2);
  return m > max ? [(e1 * max) / m, (e2 * max) / m] : [e1, e2];
}

/**
 * Draws the lens light for a lens.
 * @param lens the mass model (centre and ellipticity are followed)
 * @param o population options (prior.lens ranges give the offset scales)
 * @param rng the stream
 */
export function drawLensLight(lens: LensParams, o: PopulationOptions, rng: Rng): LensLightParams {
  const pl = o.prior.lens, ll = o.prior.lensLight;
  const f = ll.offsetFraction;
  const sd = (r: readonly [number, number]) => f * (r[1] - r[0]);
  const center_x = lens.center_x + rng.normal(0, 1) * sd(pl.center_x);
  const center_y = lens.center_y + rng.normal(0, 1) * sd(pl.center_y);
  const [e1, e2] = clipE(lens.e1 + rng.normal(0, 1) * sd(pl.e1), lens.e2 + rng.normal(0, 1) * sd(pl.e2));
  const flux = u(rng, ll.flux);
  const R_sersic = u(rng, ll.R_sersic);
  const n_sersic = u(rng, ll.n_sersic);
  return { amp: sersicAmpForFlux(flux, R_sersic, n_sersic), R_sersic, n_sersic, e1, e2, center_x, center_y };
}

/** Picks a source kind from the mixture weights. */
export function pickSourceKind(mix: PopulationOptions['sources']['mix'], rng: Rng): SourceKind {
  const total = mix.analytic + mix.procedural + mix.bank;
  const x = rng.random() * total;
  if (x < mix.analytic) return 'analytic';
  if (x < mix.analytic + mix.procedural || mix.bank === 0) return 'procedural';
  return 'bank';
}

/**
 * Draws one source of a given kind.
 * @param kind analytic | procedural | bank
 * @param cx,cy centre [arcsec]
 * @param flux total flux [counts/s]
 * @param o population options
 * @param ctx bank sums (required for `bank`)
 * @param rng the stream
 */
export function drawSource(kind: SourceKind, cx: number, cy: number, flux: number, o: PopulationOptions, ctx: NuisanceContext, rng: Rng): SourceDescriptor {
  const s = o.sources;
  if (kind === 'analytic') {
    const type = s.analytic.types[s.analytic.types.length === 1 ? 0 : rng.int(0, s.analytic.types.length)];
    const R_sersic = u(rng, s.R_half);
    const [e1, e2] = clipE(u(rng, s.analytic.e), u(rng, s.analytic.e));
    if (type === 'SERSIC_ELLIPSE') {
      const n_sersic = u(rng, s.analytic.n_sersic);
      return { kind, type, amp: sersicAmpForFlux(flux, R_sersic, n_sersic), R_sersic, n_sersic, e1, e2, center_x: cx, center_y: cy };
    }
    const c = s.analytic.core;
    const n_sersic = u(rng, c.n_sersic);
    const Rb = u(rng, c.Rb) * R_sersic;
    const gamma = u(rng, c.gamma);
    const shape = { R_sersic, Rb, n_sersic, gamma, alpha: c.alpha };
    return { kind, type, amp: coreSersicAmpForFlux(flux, shape), ...shape, e1, e2, center_x: cx, center_y: cy };
  }
  if (kind === 'procedural') {
    const galaxy = drawProceduralGalaxy(rng, { ...s.procedural, flux: [flux, flux], rHalf: s.R_half });
    return { kind, galaxy, center_x: cx, center_y: cy };
  }
  if (ctx.bankSums.length === 0) throw new Error('sources.mix.bank: a bank source was drawn but no stamps are loaded (set sources.bank.paths)');
  const index = rng.int(0, ctx.bankSums.length);
  const scale = o.sources.bank.pixelScale * u(rng, o.sources.bank.sizeScale);
  const phi_G = rng.uniform(-Math.PI, Math.PI);
  const amp = flux / (ctx.bankSums[index] * scale * scale);
  return { kind, index, amp, phi_G, scale, center_x: cx, center_y: cy, flux };
}

/**
 * Draws every nuisance of one image of a lens, from independent sub-streams
 * (`lensLight`, `sources`, `psf`, `noise`) of `rng`.
 * @param lens the lens (sources and lens light are placed relative to its centre)
 * @param o population options
 * @param ctx PSF count and bank sums
 * @param rng the stream
 */
export function drawNuisance(lens: LensParams, o: PopulationOptions, ctx: NuisanceContext, rng: Rng): Nuisance {
  const lensLight = drawLensLight(lens, o, rng.derive('lensLight'));
  const rs = rng.derive('sources');
  const s = o.sources;
  const kind1 = pickSourceKind(s.mix, rs);
  const cx = lens.center_x + u(rs, s.offset), cy = lens.center_y + u(rs, s.offset);
  const flux = u(rs, s.flux);
  const sources = [drawSource(kind1, cx, cy, flux, o, ctx, rs.derive('source0'))];
  if (s.mergerFraction > 0 && rs.random() < s.mergerFraction) {
    const kind2 = pickSourceKind(s.mix, rs);
    const d = u(rs, s.mergerSeparation), a = rs.uniform(0, 2 * Math.PI);
    sources.push(drawSource(kind2, cx + d * Math.cos(a), cy + d * Math.sin(a), flux * u(rs, s.mergerFluxRatio), o, ctx, rs.derive('source1')));
  }
  const psf = ctx.psfCount > 1 ? rng.derive('psf').int(0, ctx.psfCount) : 0;
  let noise: NoiseSpec | null = null;
  if (o.noise) {
    const rn = rng.derive('noise');
    noise = { background_rms: u(rn, o.noise.background_rms), exposure_time: o.noise.exposure_time ? u(rn, o.noise.exposure_time) : null };
  }
  return { lensLight, sources, psf, noise };
}
