// The real Codex CLI live in its pane: its hook signals (PermissionRequest → `waiting`, Stop →
// `completed`) to the controller's task events, over several turns (test/support/live-measure.ts).
import { readCodexSignal } from '../../src/runner/signals/codex.js';
import { openAiResponses } from '../support/mock-api.js';
import { measureLive } from '../support/live-measure.js';
import { codexEnv } from './vendor-support.js';

measureLive({
  name: 'Codex',
  via: 'hooks',
  agent: 'codex',
  protocol: openAiResponses,
  read: readCodexSignal,
  signals: { waiting: 'PermissionRequest', turnEnd: 'Stop' },
  // Asking to leave the sandbox is what makes Codex ask the person first.
  tool: 'exec_command',
  toolInput: (cmd) => ({ cmd, sandbox_permissions: 'require_escalated', justification: 'Measure' }),
  env: (url, project) => codexEnv(url, project.home),
  // Its PermissionRequest hook runs before the dialog is drawn: a key sent before it shows is lost.
  approve: { keys: ['y'], shown: 'Press enter to confirm' },
});
