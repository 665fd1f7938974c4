#!/usr/bin/env node
import { ConfigError, describeError } from '../errors.js';
import { ComponentError } from '../registry/component-error.js';
import { debugEnabled, errorStacks } from './debug-flag.js';
import { main } from './main.js';

function inChain(e: unknown, test: (x: unknown) => boolean): boolean {
  for (let cur = e, depth = 0; cur && depth < 10; cur = (cur as { cause?: unknown }).cause, depth++) if (test(cur)) return true;
  return false;
}

main(process.argv).catch((e: unknown) => {
  console.error(`error: ${describeError(e)}`);
  if (debugEnabled()) console.error(errorStacks(e));
  else if (inChain(e, (x) => x instanceof ComponentError)) console.error('(run with --debug for the stack trace)');
  process.exit(e instanceof ConfigError ? 2 : 1);
});
