import type { Classification } from './types.js';

export interface Verdict { classification: Classification; reason: string }

/**
 * The error part of stderr: from the first line that looks like an error report ("error: …",
 * "SomeError: …", "Error [CODE]") to the end, or the last 3 lines. Progress and log lines before
 * it (which print paths of their own) do not count as naming a file.
 */
export function errorPart(stderr: string): string {
  const lines = stderr.split('\n');
  const i = lines.findIndex((l) => /^\s*(\w*error\b|fatal\b|\[?\w+\]? ?error\b)/i.test(l) || /\b\w*Error(\s*\[\w+\])?:/.test(l));
  return (i >= 0 ? lines.slice(i) : lines.filter((l) => l.trim()).slice(-3)).join('\n');
}

/** Does the error part of stderr name one of these files (by relative path or base name)? */
export function namesFile(stderr: string, names: string[]): string | undefined {
  const e = errorPart(stderr);
  return names.find((n) => n && e.includes(n));
}

/** A file-ish token in stderr: something.json / .bin / .npy / .jsonl / .csv / .lock or a path. */
export function namesSomeFile(stderr: string, dirs: string[] = []): boolean {
  stderr = errorPart(stderr);
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
