/**
 * One-call rendering of a lenstronomy-shaped JSON lens system (see `render-spec.ts` for the
 * format): validates everything first (one error listing every bad field), builds the profiles
 * and renders with a cached {@link Renderer} for the geometry.
 */
import { Rng } from '../../../core/index.js';
import type { ProfileCatalog } from '../profiles/profile-catalog.js';
import { PixelPsf } from './pixel-psf.js';
import { parseRenderSpec, type ValidatedRenderSpec } from './render-spec.js';
import { Renderer, type RenderedParts, type RenderOptions, type Scene } from './renderer.js';

/**
 * Builds the profile objects of a validated spec.
 * @param catalog the profiles by type (the catalog the spec was validated with)
 */
export function sceneFromSpec(spec: ValidatedRenderSpec, catalog: ProfileCatalog): Scene {
  return {
    lens: spec.lens.map((p) => catalog.createMass(p.type, p.params)),
    source: spec.source.map((p) => catalog.createLight(p.type, p.params)),
    lensLight: spec.lensLight.map((p) => catalog.createLight(p.type, p.params)),
  };
}

/** Builds a renderer for the geometry and PSF of a validated spec. */
export function rendererFromSpec(spec: ValidatedRenderSpec): Renderer {
  const p = spec.psf;
  const psf = p.type === 'PIXEL'
    ? new PixelPsf(p.kernel, { supersampling: p.supersampling, pixelScale: p.pixelScale })
    : p;
  return new Renderer({ numPix: spec.numPix, deltaPix: spec.deltaPix, supersampling: spec.supersampling, psf });
}

const CACHE_SIZE = 4;
const rendererCache = new Map<string, Renderer>();

/** A cached renderer for NONE/GAUSSIAN PSFs (PIXEL kernels get a fresh one). */
function cachedRenderer(spec: ValidatedRenderSpec): Renderer {
  if (spec.psf.type === 'PIXEL') return rendererFromSpec(spec);
  const key = JSON.stringify([spec.numPix, spec.deltaPix, spec.supersampling, spec.psf]);
  let r = rendererCache.get(key);
  if (r) { rendererCache.delete(key); rendererCache.set(key, r); return r; }
  r = rendererFromSpec(spec);
  rendererCache.set(key, r);
  if (rendererCache.size > CACHE_SIZE) rendererCache.delete(rendererCache.keys().next().value as string);
  return r;
}

function renderOptions(spec: ValidatedRenderSpec, rng?: Rng): RenderOptions {
  if (!spec.noise) return { normalize: spec.normalize };
  const noiseRng = rng ?? Rng.fromSeed(spec.noise.seed as number);
  return { noise: spec.noise, rng: noiseRng, normalize: spec.normalize };
}

/**
 * Renders a lens system described by lenstronomy-shaped JSON.
 * @param spec the system (validated; throws one SpecValidationError listing every bad field)
 * @param catalog profiles accepted by `type` (the render command passes
 *   `ProfileCatalog.fromRegistry(registry)`, so that plugin profiles work)
 * @param rng noise stream; when absent, `noise.seed` is required and seeds `Rng.fromSeed`
 * @returns numPix^2 float32 values, row-major, row 0 at the most negative y
 */
export function renderSystem(spec: unknown, catalog: ProfileCatalog, rng?: Rng): Float32Array {
  const v = parseRenderSpec(spec, { requireNoiseSeed: rng === undefined, catalog });
  return cachedRenderer(v).render(sceneFromSpec(v, catalog), renderOptions(v, rng));
}

/**
 * Like {@link renderSystem} but also returns the noiseless, unconvolved, source-only and
 * lens-light-only images (the variants of the lenstronomy image fixture).
 */
export function renderSystemParts(spec: unknown, catalog: ProfileCatalog, rng?: Rng): RenderedParts {
  const v = parseRenderSpec(spec, { requireNoiseSeed: rng === undefined, catalog });
  return cachedRenderer(v).renderParts(sceneFromSpec(v, catalog), renderOptions(v, rng));
}
