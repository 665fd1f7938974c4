#!/usr/bin/env node
/**
 * npm `install` step of lensforge (runs during `npm ci` / `npm install`, before `prepare`):
 * builds the native oneDNN addon where a C++ toolchain and oneDNN's headers are present.
 * Never fails the install: whatever happens it prints ONE line (built / up to date / why not and
 * what to install) and exits 0; the wasm backend is used when there is no addon. The compiler
 * output goes to core/tensor/native/build/native-build.log and the outcome to
 * core/tensor/native/build/native-status.json (read by `lensforge doctor`).
 * Environment: see native-build-lib.mjs (LENSFORGE_SKIP_NATIVE=1 skips the build).
 */
import { buildNativeAddon, buildResultMessage, decideNativeBuild, probeNativeToolchain, recordSkip } from './native-build-lib.mjs';

try {
  const facts = probeNativeToolchain(process.env);
  const decision = decideNativeBuild(facts);
  if (decision.action === 'build') {
    console.log(buildResultMessage(buildNativeAddon(facts)));
  } else {
    if (decision.action === 'skip') recordSkip(decision);
    console.log(decision.message);
  }
} catch (e) {
  console.log(`lensforge: native oneDNN addon not built (install step error: ${String(e instanceof Error ? e.message : e).split('\n')[0]}); using the slower wasm backend`);
}
process.exitCode = 0;
