/**
 * Test helper run as a separate process: `node dist/core/testing/hold-dir-lock.js DIR [WHAT]`
 * takes the lock of DIR (as run, bench and simulate do), prints `locked <pid>` and waits until
 * it is killed (SIGTERM/SIGINT release the lock; SIGKILL leaves it stale).
 */
import { acquireDirLock } from '../io/dir-lock.js';
import { ConsoleLogger } from '../di/logger.js';

const [dir, what = 'run directory'] = process.argv.slice(2);
if (!dir) { console.error('usage: hold-dir-lock DIR [WHAT]'); process.exit(2); }
try {
  acquireDirLock(dir, { what, logger: new ConsoleLogger(), command: `hold-dir-lock ${dir}` });
} catch (e) {
  console.error(`error: ${(e as Error).message}`);
  process.exit(1);
}
console.log(`locked ${process.pid}`);
setInterval(() => { /* hold */ }, 1000);
