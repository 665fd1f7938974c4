/** Shared types of the fault-injection benchmark (`npm run faults`). */

export type Category = 'control' | 'kill-run' | 'kill-bench' | 'kill-simulate' | 'corrupt-run' | 'corrupt-bench' | 'corrupt-dataset' | 'full-disk' | 'concurrent';

/**
 * - clear-error: non-zero exit and stderr names the damaged file (or the lock / ENOSPC and a file)
 * - unclear-error: non-zero exit, but stderr does not name it
 * - resumed-identically: exit 0 and the final result equals the uninterrupted reference
 * - silently-wrong: exit 0 but the result differs, or a damaged input was used without error
 * - skipped / harness-error: the case could not be tried (reason says why)
 */
export type Classification = 'clear-error' | 'unclear-error' | 'resumed-identically' | 'silently-wrong' | 'skipped' | 'harness-error';

export interface CommandRecord {
  argv: string[];
  exitCode: number | null;
  signal: string | null;
  /** The harness sent SIGKILL (kill -9) to it. */
  killedByHarness: boolean;
  killNote?: string;
  timedOut: boolean;
  ms: number;
  stderrTail: string;
}

export interface CaseRecord {
  category: Category;
  id: string;
  description: string;
  commands: CommandRecord[];
  classification: Classification;
  reason: string;
  /** Differences from the reference (first few), when compared. */
  diffs?: string[];
  /** `.tmp` files or folders left behind after the last command. */
  tmpLeft?: string[];
  /** An interrupted run that was restarted from scratch instead of resumed from its checkpoint. */
  restarted?: boolean;
  notes?: string[];
  ms?: number;
}
