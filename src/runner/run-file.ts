// run.nul: what the runner runs, in one file (one create per start where there were four):
// NUL-terminated fields — the working directory, the output cap ("HEAD TAIL" in bytes, "" for none),
// the number of arguments, the arguments, then the environment to the end. runner.c reads it; a
// reader of the task's output reads the cap from it (output-cap.ts). Never parsed by a shell.
import { join } from 'node:path';
import { RUN_FILE } from '../core/paths.js';
import { readHead } from '../core/read-head.js';

export interface RunSpec {
  cwd: string;
  /** "HEAD TAIL", or "" for no cap (output-cap.ts). */
  cap: string;
  argv: string[];
  env: Record<string, string>;
}

export function runFileContent({ cwd, cap, argv, env }: RunSpec): string {
  return [cwd, cap, String(argv.length), ...argv, ...Object.entries(env).map(([k, v]) => `${k}=${v}`)].map((s) => `${s}\0`).join('');
}

/** The leading fields fit here: a cwd is at most PATH_MAX (4096) bytes, the cap a few dozen. */
const LEADING_BYTES = 8192;

/** The cap field of a task folder's run.nul; null when the file cannot be read. */
export function readRunCap(taskDir: string): string | null {
  const fields = readHead(join(taskDir, RUN_FILE), LEADING_BYTES).head.toString('utf8').split('\0');
  return fields.length > 2 ? fields[1]! : null;
}
