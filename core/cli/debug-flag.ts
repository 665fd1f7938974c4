/**
 * `lensforge --debug` (a global flag, anywhere on the command line) or `LENSFORGE_DEBUG=1`: debug
 * log lines, and on an error the stack of the error and of every cause. The flag sets
 * LENSFORGE_DEBUG so child processes (executor tasks) inherit it.
 */
export const DEBUG_FLAG = '--debug';

/** Honour `--debug` in `argv` (up to a `--` separator) by setting LENSFORGE_DEBUG. */
export function applyDebugFlag(argv: readonly string[]): void {
  const end = argv.indexOf('--');
  if ((end < 0 ? argv : argv.slice(0, end)).includes(DEBUG_FLAG)) process.env.LENSFORGE_DEBUG = process.env.LENSFORGE_DEBUG || '1';
}

export function debugEnabled(): boolean {
  const v = process.env.LENSFORGE_DEBUG;
  return !!v && v !== '0';
}

/** The stack of `e` and of each cause (`caused by: ...`). */
export function errorStacks(e: unknown): string {
  const out: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 10; depth++) {
    const text = cur instanceof Error ? (cur.stack ?? `${cur.name}: ${cur.message}`) : String(cur);
    out.push(depth ? `caused by: ${text}` : text);
    cur = cur instanceof Error ? (cur as Error & { cause?: unknown }).cause : undefined;
  }
  return out.join('\n');
}
