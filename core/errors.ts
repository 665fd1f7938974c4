/**
 * Errors of lensforge. Every error carries its cause chain (`cause`) and, for configuration
 * problems, the list of every issue with its key path, so users fix everything in one pass.
 */
export class LensforgeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  /** The message followed by the messages of its causes, one per line. */
  fullMessage(): string { return describeError(this); }
}

/** One problem in a configuration: where (`model.encoder.depth`), what, and in which file. */
export interface ConfigIssue {
  path: string;
  message: string;
  source?: string;
}

export class ConfigError extends LensforgeError {
  constructor(readonly issues: ConfigIssue[], readonly source?: string) {
    super(ConfigError.format(issues, source));
  }

  static format(issues: ConfigIssue[], source?: string): string {
    const where = source ? ` in ${source}` : '';
    const head = `${issues.length} configuration error${issues.length === 1 ? '' : 's'}${where}:`;
    return [head, ...issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`)].join('\n');
  }
}

/** Unknown or duplicate registry names. */
export class RegistryError extends LensforgeError {}

/** Raised when training diverges (NaN/Inf loss). The last good checkpoint is kept. */
export class DivergenceError extends LensforgeError {}

export function describeError(e: unknown): string {
  const lines: string[] = [];
  let cur: unknown = e;
  let depth = 0;
  while (cur && depth < 10) {
    if (cur instanceof Error) {
      // a cause whose message its wrapper already quotes is not repeated
      if (!depth || !lines[lines.length - 1].endsWith(cur.message)) lines.push((depth ? 'caused by: ' : '') + cur.message);
      cur = (cur as Error & { cause?: unknown }).cause;
    } else { lines.push((depth ? 'caused by: ' : '') + String(cur)); break; }
    depth++;
  }
  return lines.join('\n');
}
