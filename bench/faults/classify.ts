import type { Classification } from './types.js';

export interface Verdict { classification: Classification; reason: string }

/** Does stderr name one of these files (by relative path or base name)? */
export function namesFile(stderr: string, names: string[]): string | undefined {
  return names.find((n) => n && stderr.includes(n));
}

/** A file-ish token in stderr: something.json / .bin / .npy / .jsonl / .csv / .lock or a path. */
export function namesSomeFile(stderr: string, dirs: string[] = []): boolean {
  return /[\w.-]+\.(jsonl?|bin|npy|csv|lock|png|yaml)\b/.test(stderr) || dirs.some((d) => stderr.includes(d));
}

/** The last error-looking lines of stderr, for reasons. */
export function errorLine(stderr: string): string {
  const lines = stderr.trim().split('\n').filter((l) => l.trim());
  const err = [...lines].reverse().find((l) => /error|ENOSPC|ENOENT|refus|lock|invalid|expected|cannot|failed|unexpected/i.test(l));
  return (err ?? lines[lines.length - 1] ?? '').trim().slice(0, 240);
}

/**
 * The usual verdict for the command that follows a fault: a non-zero exit is a clear error when
 * stderr names the damaged file, else an unclear one; exit 0 is judged by the comparison.
 */
export function judge(exitCode: number | null, stderr: string, damaged: string[], diffs: string[] | undefined): Verdict {
  if (exitCode !== 0) {
    const named = namesFile(stderr, damaged);
    return named
      ? { classification: 'clear-error', reason: `exit ${exitCode}, names ${named}: ${errorLine(stderr)}` }
      : { classification: 'unclear-error', reason: `exit ${exitCode}, does not name ${damaged.filter(Boolean).join(' / ') || 'a file'}: ${errorLine(stderr)}` };
  }
  if (!diffs) return { classification: 'harness-error', reason: 'exit 0 but nothing was compared' };
  return diffs.length === 0
    ? { classification: 'resumed-identically', reason: 'exit 0, result identical to the uninterrupted reference' }
    : { classification: 'silently-wrong', reason: `exit 0 but ${diffs.length} difference(s) from the reference: ${diffs.slice(0, 3).join('; ')}` };
}
