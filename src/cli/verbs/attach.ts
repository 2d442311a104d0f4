import { spawnSync } from 'node:child_process';
import { loadConfig } from '../../config/load.js';
import { defineVerb, EXIT } from '../command.js';

export default defineVerb({
  name: 'attach',
  summary: "Attach this terminal to panecrew's tmux session (where tasks launched outside tmux run).",
  usage: 'attach',
  help: `
The session is tmux.session (default "panecrew"); it exists once a task was launched outside tmux.
Exit codes: 0 detached normally, 1 no such session.`,
  options: {},
  async run(_args, ctx) {
    const { config } = loadConfig({ cwd: ctx.cwd, env: ctx.env });
    const session = config.tmux.session.replace(/[.:]/g, '_');
    if (spawnSync('tmux', ['has-session', '-t', `=${session}`], { stdio: 'ignore' }).status !== 0) {
      ctx.err(`panecrew attach: no tmux session "${session}" yet; launch a task from outside tmux first`);
      return EXIT.failed;
    }
    const verb = ctx.env.TMUX ? 'switch-client' : 'attach-session';
    return spawnSync('tmux', [verb, '-t', `=${session}`], { stdio: 'inherit' }).status === 0 ? EXIT.ok : EXIT.failed;
  },
});
