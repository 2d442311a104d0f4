// The real Gemini CLI live in its pane: its hook signals (Notification ToolPermission → `waiting`,
// AfterAgent → `completed`) to the controller's task events, over several turns
// (test/support/live-measure.ts).
import { signalAdapter } from '../../src/runner/signals/index.js';
import { geminiApi } from '../support/mock-api.js';
import { measureLive } from '../support/live-measure.js';
import { GEMINI_MODEL } from './gemini-support.js';
import { geminiEnv } from './vendor-support.js';

measureLive({
  name: 'Gemini CLI',
  via: 'hooks',
  agent: 'gemini',
  protocol: geminiApi,
  read: signalAdapter('gemini').read,
  signals: { waiting: 'Notification ToolPermission', turnEnd: 'AfterAgent' },
  // A redirection: Gemini asks before it runs one.
  tool: 'run_shell_command',
  toolInput: (command) => ({ command, description: 'Measure' }),
  env: (url, project) => geminiEnv(url, project.home),
  // Enter picks "Allow once".
  approve: { keys: ['Enter'], shown: 'Allow once' },
  // With no model, Gemini CLI first asks a router model for JSON to pick one.
  launchArgs: ['--model', GEMINI_MODEL],
});
