#!/usr/bin/env node
import { ConfigError, describeError } from '../errors.js';
import { main } from './main.js';

main(process.argv).catch((e: unknown) => {
  console.error(`error: ${describeError(e)}`);
  if (process.env.LENSFORGE_DEBUG && e instanceof Error) console.error(e.stack);
  process.exit(e instanceof ConfigError ? 2 : 1);
});
