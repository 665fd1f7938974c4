/**
 * `lensforge doctor`: which tfjs backend will be used, and why each faster candidate was not
 * (package not installed, native addon not built — with the reason the install step recorded —,
 * failed to initialise), plus threads, SIMD and versions. Human-readable by default, `--json`
 * for machines.
 *
 * `collectDoctorReport` does the probing (every collaborator injectable, for tests);
 * `formatDoctorReport` turns a report into text and is pure.
 */
import * as tf from '@tensorflow/tfjs';
import {
  BACKEND_ENV_VAR, BACKEND_ORDER, backendInfo, installHint, NATIVE_INSTALL_LINE, probeBackend, selectBackend,
  type BackendInfo, type BackendKind, type BackendRequest, type BackendSelection, type SelectBackendOptions,
} from '../../tensor/backend.js';
import { nativeBuildStatusPath, readNativeBuildStatus, type NativeBuildStatus } from '../../tensor/native/native-addon.js';
import { versions, type Versions } from '../../experiment/versions.js';

/** One candidate backend as doctor sees it. */
export interface DoctorCandidate {
  kind: BackendKind;
  /** 'selected': in use; 'available': would work but a better one (or the request) won; 'unavailable': cannot be used. */
  state: 'selected' | 'available' | 'unavailable';
  /** Short human explanation (why unavailable, or what it is). */
  summary: string;
  /** The raw first-line reason from the backend selection, when unavailable. */
  reason?: string;
  /** What to do to make it available, when unavailable. */
  fix?: string;
}

export interface DoctorReport {
  /** The backend request after LENSFORGE_BACKEND ('auto' unless overridden or --backend given). */
  request: string;
  /** Set when LENSFORGE_BACKEND overrode the request. */
  override?: string;
  /** The backend that will be used, or null when the request cannot be satisfied. */
  selected: { name: BackendSelection['name']; kind: BackendKind; package?: string } | null;
  /** The error of an explicit request that cannot be satisfied. */
  error?: string;
  /** gpu, node, native, wasm, cpu in that (preference) order. */
  candidates: DoctorCandidate[];
  /** What the native addon's install step / build:native recorded; null when it never ran. */
  nativeBuild: NativeBuildStatus | null;
  nativeBuildStatusFile: string;
  threads: number;
  simd: boolean | null;
  lensforge: string;
  node: string;
  tfjs: string;
  gitCommit?: string;
  /** Every line the backend selection logged. */
  notes: string[];
}

export interface DoctorOptions {
  /** --backend (default 'auto'). */
  request?: string;
  /** Environment (LENSFORGE_BACKEND); default process.env. */
  env?: Record<string, string | undefined>;
  importer?: SelectBackendOptions['importer'];
  registerNative?: SelectBackendOptions['registerNative'];
  /** The native build status; default: read build/native-status.json. */
  nativeBuild?: NativeBuildStatus | null;
  /** Backend facts of the selected backend; default backendInfo(). */
  info?: () => BackendInfo;
  versions?: () => Versions;
}

const DESCRIPTION: Record<BackendKind, string> = {
  gpu: '@tensorflow/tfjs-node-gpu (libtensorflow with CUDA)',
  node: '@tensorflow/tfjs-node (libtensorflow on CPU)',
  native: 'lensforge oneDNN addon (fast CPU training)',
  wasm: 'WebAssembly with the lensforge conv-gradient kernels (slower fallback)',
  cpu: 'pure JavaScript (reference only; far too slow to train)',
};

/** Human explanation and fix for an unavailable candidate, from the selection's reason and the build status. */
export function explainUnavailable(kind: BackendKind, reason: string, build: NativeBuildStatus | null): { summary: string; fix: string } {
  if (kind === 'gpu' || kind === 'node') {
    const pkg = kind === 'gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
    if (/Cannot find (package|module)|MODULE_NOT_FOUND/.test(reason)) {
      return {
        summary: `${pkg} is not installed (an optional dependency: its install downloads libtensorflow, so it is skipped without internet access)`,
        fix: installHint(kind),
      };
    }
    return { summary: reason, fix: installHint(kind) };
  }
  if (kind === 'native') {
    if (/not built/.test(reason)) {
      if (build && !build.ok) {
        const what = build.action === 'skipped' ? 'not built' : build.stage === 'load' ? 'built but does not load' : 'failed to compile';
        const log = build.log ? `; full log: ${build.log}` : '';
        return { summary: `native addon ${what}: ${build.reason ?? 'no reason recorded'} (recorded by the install step / build:native)${log}`, fix: NATIVE_INSTALL_LINE };
      }
      if (!build) return {
        summary: 'native addon not built: no build was attempted (was npm ci run with --ignore-scripts?)',
        fix: `${NATIVE_INSTALL_LINE} (after npm ci --ignore-scripts: npm run build && npm run build:native)`,
      };
    }
    return { summary: reason.replace(/\. (To build it|Rebuild it):.*$/, ''), fix: NATIVE_INSTALL_LINE };
  }
  return { summary: reason, fix: installHint(kind) };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

/** Probes every candidate (restoring the selected backend afterwards) and returns the report. */
export async function collectDoctorReport(opts: DoctorOptions = {}): Promise<DoctorReport> {
  const env = opts.env ?? process.env;
  const request = (opts.request ?? 'auto') as BackendRequest;
  const build = opts.nativeBuild !== undefined ? opts.nativeBuild : readNativeBuildStatus();
  const notes: string[] = [];
  let selection: BackendSelection | null = null;
  let error: string | undefined;
  try {
    selection = await selectBackend(request, { env, importer: opts.importer, registerNative: opts.registerNative, log: (m) => notes.push(m) });
  } catch (e) {
    error = firstLine(e);
  }
  const info = (opts.info ?? backendInfo)();
  const override = env[BACKEND_ENV_VAR]?.trim() ? env[BACKEND_ENV_VAR]!.trim().toLowerCase() : undefined;
  const effective = override ?? String(request).toLowerCase();

  // Reasons from the selection itself ("kind: reason" notes of 'auto').
  const reasons = new Map<BackendKind, string>();
  for (const n of notes) {
    const m = /^(gpu|node|native|wasm|cpu): (.*)$/s.exec(n);
    if (m) reasons.set(m[1] as BackendKind, m[2]);
  }
  const candidates: DoctorCandidate[] = [];
  for (const kind of BACKEND_ORDER) {
    if (selection?.kind === kind) {
      candidates.push({ kind, state: 'selected', summary: DESCRIPTION[kind] });
      continue;
    }
    let reason = reasons.get(kind) ?? null;
    if (!reasons.has(kind)) {
      try {
        reason = await probeBackend(kind, { importer: opts.importer, registerNative: opts.registerNative });
      } catch (e) {
        reason = firstLine(e);
      }
    }
    if (reason === null) candidates.push({ kind, state: 'available', summary: DESCRIPTION[kind] });
    else candidates.push({ kind, state: 'unavailable', reason, ...explainUnavailable(kind, reason, build) });
  }
  if (selection && tf.getBackend() !== selection.name) await tf.setBackend(selection.name);

  const v = (opts.versions ?? versions)();
  return {
    request: effective,
    ...(override && override !== String(request).toLowerCase() ? { override } : {}),
    selected: selection ? { name: selection.name, kind: selection.kind, ...(selection.package ? { package: selection.package } : {}) } : null,
    ...(error ? { error } : {}),
    candidates,
    nativeBuild: build,
    nativeBuildStatusFile: nativeBuildStatusPath(),
    threads: info.threads,
    simd: info.simd,
    lensforge: v.lensforge,
    node: v.node,
    tfjs: v.tfjs,
    ...(v.gitCommit ? { gitCommit: v.gitCommit } : {}),
    notes,
  };
}

function nativeBuildLine(b: NativeBuildStatus | null): string {
  if (!b) return 'native addon build: never attempted (npm ci builds it; or run npm run build:native)';
  const when = b.at ? ` at ${b.at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` : '';
  if (b.ok) return `native addon build: built${when}${b.seconds !== undefined ? ` in ${b.seconds} s` : ''}${b.dnnlVersion ? ` (oneDNN ${b.dnnlVersion}${b.isa ? `, ${b.isa}` : ''})` : ''}`;
  const what = b.action === 'skipped' ? 'not built' : b.stage === 'load' ? 'built but does not load' : 'failed to compile';
  return `native addon build: ${what}${when}: ${b.reason ?? 'no reason recorded'}${b.log ? ` (full log: ${b.log})` : ''}`;
}

/** The human-readable doctor output (no trailing newline). */
export function formatDoctorReport(r: DoctorReport): string {
  const out: string[] = [];
  const how = r.override ? `${BACKEND_ENV_VAR}=${r.override}` : r.request === 'auto' ? 'backend: auto' : `requested ${r.request}`;
  if (r.selected) {
    const sel = r.candidates.find((c) => c.state === 'selected');
    const kind = r.selected.name === r.selected.kind ? '' : `${r.selected.kind}, `;
    out.push(`backend: ${r.selected.name} (${kind}chosen by ${how}) — ${sel?.summary ?? ''}`);
  } else {
    out.push(`backend: none — ${r.error ?? 'no usable backend'}`);
  }
  const idx = r.selected ? BACKEND_ORDER.indexOf(r.selected.kind) : BACKEND_ORDER.length;
  const faster = r.candidates.filter((c) => BACKEND_ORDER.indexOf(c.kind) < idx);
  if (faster.length > 0) {
    out.push(r.selected ? 'why not a faster one:' : 'candidates:');
    for (const c of faster) {
      if (c.state === 'unavailable') {
        out.push(`  ${c.kind.padEnd(6)} ${c.summary}`);
        if (c.fix) out.push(`  ${''.padEnd(6)} to use it: ${c.fix}`);
      } else {
        out.push(`  ${c.kind.padEnd(6)} available, not used because ${how} asked for ${r.selected?.kind ?? r.request}`);
      }
    }
  }
  const slower = r.candidates.filter((c) => BACKEND_ORDER.indexOf(c.kind) > idx);
  if (slower.length > 0) {
    out.push('fallbacks:');
    for (const c of slower) out.push(`  ${c.kind.padEnd(6)} ${c.state === 'available' ? 'available' : `unavailable: ${c.summary}`}`);
  }
  out.push(nativeBuildLine(r.nativeBuild));
  out.push(`threads: ${r.threads}${r.simd === null ? '' : `, SIMD: ${r.simd ? 'yes' : 'no'}`}`);
  out.push(`versions: lensforge ${r.lensforge}, node ${r.node}, tfjs ${r.tfjs}${r.gitCommit ? `, commit ${r.gitCommit.slice(0, 12)}` : ''}`);
  return out.join('\n');
}

/** The command's action: prints the report (text, or JSON with `json`); exit status 1 when no backend is usable. */
export async function doctorCommand(o: { backend?: string; json?: boolean }): Promise<void> {
  const report = await collectDoctorReport({ request: o.backend ?? 'auto' });
  console.log(o.json ? JSON.stringify(report, null, 2) : formatDoctorReport(report));
  if (!report.selected) process.exitCode = 1;
}
