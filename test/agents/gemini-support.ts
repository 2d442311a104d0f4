// What the Gemini CLI live test and measurement share: a controller whose home Gemini CLI accepts
// for a system settings file (root-owned folders nobody else can write: not under /tmp), and the
// environment of a task in a pane of the test tmux server, offline against the local server.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestController, testConfig, type TestController } from '../support/controller.js';
import { paneEnv, type TestTmuxServer } from '../support/tmux-server.js';
import { REPO } from './support.js';
import { geminiEnv } from './vendor-support.js';

/** An explicit model: with none, Gemini CLI first asks a router model for JSON to pick one. */
export const GEMINI_MODEL = 'google/gemini-2.5-flash';

/** The controller, its home under .bench/ in this repository (see signals/gemini.ts). */
export async function startGeminiController(): Promise<TestController> {
  const base = join(REPO, '.bench', 'gemini-homes');
  mkdirSync(base, { recursive: true });
  chmodSync(base, 0o755);
  const tmp = process.env.TMPDIR;
  process.env.TMPDIR = base;
  try {
    return await startTestController(testConfig({ tmux: { enabled: true, close_delay_ms: '200ms' } }));
  } finally {
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
  }
}

export async function geminiTaskEnv(url: string, home: string, tmux: TestTmuxServer): Promise<Record<string, string>> {
  return { ...geminiEnv(url, home), ...(await paneEnv(tmux)), TERM: 'xterm-256color' };
}
