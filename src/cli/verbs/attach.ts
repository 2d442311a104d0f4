import { spawnSync } from 'node:child_process';
import { loadConfig } from '../../config/load.js';
import { defineVerb, EXIT } from '../command.js';
import { SUMMARY } from '../summaries.js';

/** Runs tmux on this terminal's server (`$TMUX`) or, with `defaultServer`, on the default one. */
function tmux(env: NodeJS.ProcessEnv, args: string[], opts: { defaultServer?: boolean; inherit?: boolean } = {}) {
  const { TMUX: _tmux, ...outside } = env;
  return spawnSync('tmux', args, { env: opts.defaultServer ? outside : env, stdio: opts.inherit ? 'inherit' : 'ignore' });
}

export default defineVerb({
  name: 'attach',
  summary: SUMMARY.attach,
  usage: 'attach',
  help: `
The session is tmux.session (default "panecrew"), on the tmux server the controller uses (the
default one unless the controller was started inside tmux); it exists once a task was launched
from outside tmux. Inside tmux on the same server this switches to it.
Exit codes: 0 detached normally, 1 tmux failed, 4 no such session (or no tmux).`,
  options: {},
  async run(_args, ctx) {
    const { config } = loadConfig({ cwd: ctx.cwd, env: ctx.env });
    const session = config.tmux.session.replace(/[.:]/g, '_');
    const target = ['-t', `=${session}`];
    const here = tmux(ctx.env, ['has-session', ...target]);
    if (here.error) {
      ctx.err(`panecrew attach: tmux is not installed (${(here.error as NodeJS.ErrnoException).code}); without it tasks run headless: panecrew ls, panecrew output ID`);
      return EXIT.notFound;
    }
    const inside = Boolean(ctx.env.TMUX);
    if (here.status === 0) {
      return tmux(ctx.env, [inside ? 'switch-client' : 'attach-session', ...target], { inherit: true }).status === 0 ? EXIT.ok : EXIT.failed;
    }
    if (inside && tmux(ctx.env, ['has-session', ...target], { defaultServer: true }).status === 0) {
      // tmux cannot switch a client to another server's session, and nesting is refused.
      ctx.err(
        `panecrew attach: the "${session}" session is on tmux's default server, not on the one this terminal is in ($TMUX).\n` +
          `Attach from a terminal outside tmux with: tmux attach -t '=${session}'\n` +
          `or from here in a new window: tmux new-window 'TMUX= tmux attach -t =${session}'`,
      );
      return EXIT.notFound;
    }
    ctx.err(
      `panecrew attach: there is no "${session}" session ${inside ? "on this tmux server or tmux's default one" : "on tmux's default server"}.\n` +
        'It is created when a task is launched from outside tmux; a task launched inside tmux opens beside\n' +
        'the pane that launched it (panecrew focus ID), and a headless one has no pane (panecrew output ID).',
    );
    return EXIT.notFound;
  },
});
