// The runner's C programs (native/), built into dist/runner by scripts/build-runner.mjs. Modules run
// from src/ (the tests) use the built ones.
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const BUILT = basename(dirname(HERE)) === 'src' ? join(HERE, '..', '..', 'dist', 'runner') : HERE;

/** The task runner: panecrew-runner TASK_DIR headless|pane [START_TOKEN] (native/runner.c). */
export const RUNNER = join(BUILT, 'panecrew-runner');
/** The headless runners' spawner, one per controller (native/spawner.c). */
export const SPAWNER = join(BUILT, 'panecrew-spawner');
