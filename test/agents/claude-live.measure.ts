// The real Claude Code live in its pane: its hook signals (PermissionRequest → `waiting`, Stop →
// `completed`) to the controller's task events, over several turns (test/support/live-measure.ts).
import { claudeSignal } from '../../src/runner/signals/claude.js';
import { measureLive } from '../support/live-measure.js';
import { claudeEnv, seedClaudeHome } from './support.js';

measureLive({
  name: 'Claude Code',
  via: 'hooks',
  agent: 'claude',
  read: claudeSignal,
  signals: { waiting: 'PermissionRequest', turnEnd: 'Stop' },
  // A command that writes a file: Claude Code runs a read-only one (a bare echo) without asking.
  tool: 'Bash',
  toolInput: (command) => ({ command, description: 'Measure' }),
  env: (url, project) => {
    seedClaudeHome(project);
    return claudeEnv(url, project.home);
  },
  approve: { keys: ['1'] },
});
