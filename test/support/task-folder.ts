// A task folder written by hand for the runner alone: run.nul as the controller writes it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILE } from '../../src/core/paths.js';
import { capField } from '../../src/runner/output-cap.js';
import { runFileContent } from '../../src/runner/run-file.js';

/** Creates `taskDir` (when missing) with a run.nul: `argv` in `cwd`, PATH as this process has it. */
export function writeRunFile(taskDir: string, { argv, cwd, capBytes = 0 }: { argv: string[]; cwd: string; capBytes?: number }): void {
  mkdirSync(taskDir, { recursive: true });
  writeFileSync(join(taskDir, RUN_FILE), runFileContent({ cwd, cap: capField(capBytes), argv, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } }));
}

export const nul = (items: string[]): string => items.map((s) => `${s}\0`).join('');
