/** Minimal structured logger service. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

export class ConsoleLogger implements Logger {
  constructor(private readonly verbose = false, private readonly stream: NodeJS.WritableStream = process.stderr) {}
  info(message: string): void { this.stream.write(`${message}\n`); }
  warn(message: string): void { this.stream.write(`warning: ${message}\n`); }
  debug(message: string): void { if (this.verbose) this.stream.write(`debug: ${message}\n`); }
}

/** Keeps messages in memory (tests, quiet runs). */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  info(message: string): void { this.lines.push(message); }
  warn(message: string): void { this.lines.push(`warning: ${message}`); }
  debug(message: string): void { this.lines.push(`debug: ${message}`); }
}
