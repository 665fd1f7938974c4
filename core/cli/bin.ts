#!/usr/bin/env node
import { ConfigError, describeError } from '../errors.js';
import { ComponentError } from '../registry/component-error.js';
import { debugEnabled, errorStacks } from './debug-flag.js';
import { main } from './main.js';

main(process.argv).catch((e: unknown) => {
  console.error(`error: ${describeError(e)}`);
  if (debugEnabled()) console.error(errorStacks(e));
  else if (e instanceof ComponentError) console.error('(run with --debug for the stack trace)');
  process.exit(e instanceof ConfigError ? 2 : 1);
});
