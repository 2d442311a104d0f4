// Headless placement: the runner as a detached process in its own session, outliving the controller.
import { spawn, type ChildProcess } from 'node:child_process';
import { RUNNER_SCRIPT } from './prepare.js';

export function startHeadless(taskDir: string): ChildProcess {
  const child = spawn('bash', [RUNNER_SCRIPT, taskDir, 'headless'], { detached: true, stdio: 'ignore' });
  child.unref();
  return child;
}
