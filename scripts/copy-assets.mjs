// tsc does not copy non-TS files; the runner script ships next to the compiled runner code.
import { copyFileSync, chmodSync } from 'node:fs';
copyFileSync('src/runner/runner.sh', 'dist/runner/runner.sh');
chmodSync('dist/runner/runner.sh', 0o755);
