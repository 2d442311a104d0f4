// tsc does not copy non-TS files; these ship next to the compiled runner code (the runner and its spawner are C, built by build-runner.mjs).
import { copyFileSync, chmodSync } from 'node:fs';
for (const script of ['signal-hook.sh']) {
  copyFileSync(`src/runner/${script}`, `dist/runner/${script}`);
  chmodSync(`dist/runner/${script}`, 0o755);
}
// The OpenCode plugin is written into each task's folder from here (src/runner/signals/opencode.ts).
copyFileSync('src/runner/signals/opencode-plugin.js', 'dist/runner/signals/opencode-plugin.js');
