// What the Gemini CLI live test and measurement share: the environment of a task in a pane of the
// test tmux server, offline against the local server.
import { paneEnv, type TestTmuxServer } from '../support/tmux-server.js';
import { geminiEnv } from './vendor-support.js';

/** An explicit model: with none, Gemini CLI first asks a router model for JSON to pick one. */
export const GEMINI_MODEL = 'google/gemini-2.5-flash';

export async function geminiTaskEnv(url: string, home: string, tmux: TestTmuxServer): Promise<Record<string, string>> {
  return { ...geminiEnv(url, home), ...(await paneEnv(tmux)), TERM: 'xterm-256color' };
}
