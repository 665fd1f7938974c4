/**
 * Which tfjs backend the backend-sensitive tests run on. Such tests carry the tag `@backend` in
 * their describe (or it) title; CI runs the whole suite on the backend `auto` picks (native where
 * the addon is built), then `LENSFORGE_BACKEND=wasm node dist/core/testing/run-tests.js --grep
 * @backend` again on wasm. A tagged test must therefore not hard-code a backend: experiment
 * configs use `backend: testBackendRequest()` (selectBackend applies LENSFORGE_BACKEND), direct
 * tensor code runs inside `withTestBackend(fn)`.
 */
import { selectBackend, BACKEND_ENV_VAR, type BackendRequest, type BackendSelection } from '../tensor/backend.js';
import { withBackend } from '../tensor/with-backend.js';

/** Title tag of the backend-sensitive tests (`--grep @backend`). */
export const BACKEND_TAG = '@backend';

/** The backend request of the tests: $LENSFORGE_BACKEND, else 'auto'. */
export function testBackendRequest(env: Record<string, string | undefined> = process.env): BackendRequest {
  const v = env[BACKEND_ENV_VAR]?.trim().toLowerCase();
  return (v ? v : 'auto') as BackendRequest;
}

let chosen: Promise<BackendSelection> | null = null;

/** Selects (once per process) the tests' backend; throws when an explicit LENSFORGE_BACKEND cannot be met. */
export function testBackend(): Promise<BackendSelection> {
  chosen ??= selectBackend(testBackendRequest());
  return chosen;
}

/** Runs `fn` on the tests' backend, restoring the previous backend afterwards. */
export async function withTestBackend<T>(fn: () => T | Promise<T>): Promise<T> {
  const sel = await testBackend();
  return withBackend(sel.name, fn);
}
