// The real OpenCode live in its pane: the lines its panecrew plugin writes (permission.asked →
// `waiting`, session.idle → `completed`) to the controller's task events, over several turns
// (test/support/live-measure.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOpencodeSignal } from '../../src/runner/signals/opencode.js';
import { measureLive } from '../support/live-measure.js';
import { opencodeEnv } from './support.js';

measureLive({
  name: 'OpenCode',
  via: 'plugin',
  agent: 'opencode',
  read: readOpencodeSignal,
  signals: { waiting: 'permission.asked', turnEnd: 'session.idle' },
  tool: 'bash',
  toolInput: (command) => ({ command, description: 'Measure' }),
  env: (url, project) => {
    const env = opencodeEnv(url, project.home);
    // The person's own config asks before every bash command (OpenCode's default allows it).
    const config = join(project.home, '.config', 'opencode', 'opencode.json');
    writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, 'utf8')), permission: { bash: 'ask' } }));
    return env;
  },
  // Enter picks "Allow once"; sent before the dialog is drawn, it would be lost.
  approve: { keys: ['Enter'], shown: 'Allow once' },
});
