/**
 * `SpecValidationError`: a {@link LensforgeError} carrying every problem found in a render spec or
 * a profile's keywords, one `PATH: what was expected, got VALUE` line each (the render command
 * turns them into `ConfigIssue`s).
 */
import { LensforgeError } from '../../../core/index.js';

/** Error carrying every validation problem found in a specification. */
export class SpecValidationError extends LensforgeError {
  /** Each problem as `PATH: message`. */
  readonly issues: readonly string[];

  /**
   * @param what the thing validated, e.g. `render spec`, `mass profile lens[0]`
   * @param issues one `PATH: message` line per problem
   */
  constructor(what: string, issues: readonly string[]) {
    super(`${what} is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n  - ${issues.join('\n  - ')}`);
    this.issues = issues;
  }
}
