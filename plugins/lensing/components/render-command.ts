/**
 * `lensforge render PARAMS.json --out FILE.npy`: renders one lens system described by
 * lenstronomy-shaped JSON (see `imaging/render-spec.ts` for the format) into a float32 .npy of
 * shape [numPix, numPix], row 0 at the most negative y (lenstronomy's layout), written atomically.
 * A PIXEL PSF may name its kernel by file: `"psf": {"type": "PIXEL", "kernel": "psf.npy"}` (.npy
 * or FITS, a 2-D [k, k] array, path relative to the JSON file); so may an INTERPOL light profile
 * its stamp: `{"type": "INTERPOL", "image": "galaxy.npy", "scale": 0.05}` (2-D [rows, cols] or
 * [1, rows, cols]). Noise needs `noise.seed`. Profile `type`s are looked up in the registry
 * (`mass-profile` / `light-profile` components of every loaded plugin).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, createRegistry, lineColumn, scanJson, withIo, writeNpy, type ConfigIssue, type LensforgePlugin, type Registry } from '../../../core/index.js';
import { renderSystem } from '../imaging/render-system.js';
import { ProfileCatalog } from '../profiles/profile-catalog.js';
import { SpecValidationError } from '../profiles/spec-validation-error.js';
import { readArrayFile } from '../population/array-file.js';

/** A CLI sub-command contributed by a plugin manifest (core `PluginCommand`). */
type PluginCommand = NonNullable<LensforgePlugin['commands']>[number];

/** Splits `path: message` lines of a SpecValidationError into ConfigIssues. */
function toIssues(lines: readonly string[], source: string): ConfigIssue[] {
  return lines.map((l) => {
    const k = l.indexOf(': ');
    return k > 0 ? { path: l.slice(0, k), message: l.slice(k + 2), source } : { path: '', message: l, source };
  });
}

/**
 * Reads a render-spec JSON file and replaces file names by their values: a PIXEL PSF's kernel and
 * the `image` of INTERPOL light profiles (paths relative to the JSON file).
 * @param file the JSON file
 * @returns the spec object, ready for `renderSystem`
 * @throws ConfigError for a missing/invalid file or kernel
 */
export function readRenderSpecFile(file: string): Record<string, unknown> {
  const abs = resolve(file);
  if (!existsSync(abs)) throw new ConfigError([{ path: 'params', message: `file not found: ${abs}` }]);
  let spec: unknown;
  const text = withIo('reading render spec', abs, () => readFileSync(abs, 'utf8'));
  try {
    spec = JSON.parse(text);
  } catch (e) {
    const p = scanJson(text);
    const at = p ? ((lc) => ` at line ${lc.line}, column ${lc.column}: ${p.message}`)(lineColumn(text, p.offset)) : `: ${(e as Error).message}`;
    throw new ConfigError([{ path: 'params', message: `not valid JSON${at}` }], file);
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new ConfigError([{ path: '(root)', message: 'expected an object with numPix, deltaPix, lens, source, lensLight, psf, noise, normalize' }], file);
  }
  const s = spec as Record<string, unknown>;
  const psf = s.psf as Record<string, unknown> | null | undefined;
  if (psf && typeof psf === 'object' && psf.type === 'PIXEL' && typeof psf.kernel === 'string') {
    try {
      const a = readArrayFile(psf.kernel, 'psf.kernel', dirname(abs));
      const shape = a.shape.length === 3 && a.shape[0] === 1 ? a.shape.slice(1) : a.shape;
      if (shape.length !== 2 || shape[0] !== shape[1]) throw new Error(`psf.kernel: expected a 2-D square kernel [k, k] in ${a.file}, got shape [${a.shape.join(', ')}]`);
      s.psf = { ...psf, kernel: a.data };
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      throw new ConfigError(toIssues([(e as Error).message], file), file);
    }
  }
  for (const list of ['source', 'lensLight'] as const) {
    const profiles = s[list];
    if (!Array.isArray(profiles)) continue;
    s[list] = profiles.map((p: unknown, i: number) => {
      const prof = p as Record<string, unknown> | null;
      if (!prof || typeof prof !== 'object' || prof.type !== 'INTERPOL' || typeof prof.image !== 'string') return p;
      return { ...prof, image: readStamp(prof.image, `${list}[${i}].image`, dirname(abs), file) };
    });
  }
  return s;
}

/** Reads a 2-D ([rows, cols] or [1, rows, cols]) stamp file as nested rows (row 0 first). */
function readStamp(name: string, path: string, baseDir: string, file: string): number[][] {
  try {
    const a = readArrayFile(name, path, baseDir);
    const shape = a.shape.length === 3 && a.shape[0] === 1 ? a.shape.slice(1) : a.shape;
    if (shape.length !== 2) throw new Error(`${path}: expected a 2-D stamp [rows, cols] in ${a.file}, got shape [${a.shape.join(', ')}]`);
    const [rows, cols] = shape;
    return Array.from({ length: rows }, (_, r) => Array.from(a.data.subarray(r * cols, (r + 1) * cols)));
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(toIssues([(e as Error).message], file), file);
  }
}

/**
 * Renders a JSON file to an .npy file.
 * @param file render-spec JSON
 * @param out output path (must end in .npy)
 * @param catalog profiles accepted by `type` (the command passes `ProfileCatalog.fromRegistry(registry)`)
 * @returns the image (numPix^2 float32) and its side
 */
export function renderSpecFile(file: string, out: string, catalog: ProfileCatalog): { image: Float32Array; numPix: number } {
  if (!out.toLowerCase().endsWith('.npy')) throw new ConfigError([{ path: '--out', message: `expected a path ending in .npy, got "${out}"` }]);
  const spec = readRenderSpecFile(file);
  let image: Float32Array;
  try {
    image = renderSystem(spec, catalog);
  } catch (e) {
    if (e instanceof SpecValidationError) throw new ConfigError(toIssues(e.issues, file), file);
    throw e;
  }
  const numPix = spec.numPix as number;
  writeNpy(resolve(out), image, [numPix, numPix]);
  return { image, numPix };
}

/** What the CLI may pass to a plugin command besides its arguments. */
export interface RenderCommandContext {
  /** The CLI's registry (with `--plugin` modules loaded); default: a fresh one with the built-in plugins. */
  registry?: Registry;
}

/**
 * The `render` sub-command contributed by the lensing plugin. Profiles are looked up through
 * `ProfileCatalog.fromRegistry(registry)`, so profiles added by plugins are accepted by name.
 */
export const renderCommand: PluginCommand & { action(args: string[], options: Record<string, unknown>, context?: RenderCommandContext): Promise<void> } = {
  name: 'render <params>',
  description: 'render one lens system from lenstronomy-shaped JSON to a float32 .npy [numPix, numPix] (row 0 at the most negative y)',
  options: [{ flags: '--out <file>', description: 'output .npy file (required)' }],
  async action(args: string[], options: Record<string, unknown>, context: RenderCommandContext = {}): Promise<void> {
    const out = options.out;
    if (typeof out !== 'string' || !out) throw new ConfigError([{ path: '--out', message: 'missing; expected the output .npy path (e.g. --out image.npy)' }]);
    const file = args[0];
    const registry = context.registry ?? await createRegistry();
    const r = renderSpecFile(file, out, ProfileCatalog.fromRegistry(registry));
    console.log(`wrote ${resolve(out)} (float32 [${r.numPix}, ${r.numPix}])`);
  },
};
