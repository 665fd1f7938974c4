#!/usr/bin/env node
/**
 * `npm run build:native`: builds the native oneDNN addon (core/tensor/native/build/Release/
 * lensforge_native.node) with node-gyp, offline (the headers of the running Node, the node-gyp
 * bundled with npm), printing the compiler output. Needs g++, make, python3 and oneDNN's headers
 * (Debian/Ubuntu: sudo apt-get install -y libdnnl-dev g++ make python3; macOS: brew install onednn).
 * Always rebuilds. Exit status 0 on success; otherwise 1 with the reason on stderr.
 * The same logic runs, quietly and never failing, as npm's install step (install-native.mjs).
 */
import { buildNativeAddon, buildResultMessage, decideNativeBuild, probeNativeToolchain, recordSkip } from './native-build-lib.mjs';

const facts = probeNativeToolchain({ ...process.env, LENSFORGE_SKIP_NATIVE: '' });
const decision = decideNativeBuild({ ...facts, force: true });
if (decision.action !== 'build') {
  recordSkip(decision);
  console.error(decision.message);
  process.exit(1);
}
const r = buildNativeAddon(facts, { verbose: true });
console.error(buildResultMessage({ ...r, log: r.log ?? 'the compiler output above' }));
process.exit(r.ok ? 0 : 1);
