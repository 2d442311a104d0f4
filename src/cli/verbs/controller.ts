import { readFileSync } from 'node:fs';
import { ControllerClient, startController } from '../../controller/client.js';
import type { Stats } from '../../controller/protocol.js';
import { homePaths, panecrewHome } from '../../core/paths.js';
import { processAlive } from '../../runner/kill.js';
import { formatDuration } from '../../core/duration.js';
import { defineVerb, EXIT, printJson, UsageError } from '../command.js';
import { SUMMARY } from '../summaries.js';

async function tryConnect(env: NodeJS.ProcessEnv): Promise<ControllerClient | null> {
  try {
    return await ControllerClient.connect({ env, autostart: false });
  } catch {
    return null;
  }
}

export default defineVerb({
  name: 'controller',
  summary: SUMMARY.controller,
  usage: 'controller start|stop|status|reload|run [--json]',
  help: `
Actions:
  start    start it in the background (other verbs do this on demand)
  stop     stop it; running agents keep running and are re-adopted on the next start
  status   is it running, its pid, uptime and load
  reload   read the configuration files again now (it also does on their change and on SIGHUP):
           limits, notifications, agents and layout options apply at once; says what needs a restart
  run      run it in the foreground (for service managers and debugging)
Options:
  --set PATH=VALUE   (start, run) override a config option, e.g. --set background_task.defaultConcurrency=2
  --json             (status) machine-readable
Exit codes: 0 ok; 2 reload refused (the files do not validate; nothing changed); status and reload:
3 when not running.`,
  options: { json: { type: 'boolean' }, set: { type: 'string', multiple: true } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const [action, ...rest] = positionals;
    if (rest.length || !action) throw new UsageError('give one action: start, stop, status, reload or run');
    const paths = homePaths(panecrewHome(ctx.env));
    switch (action) {
      case 'run': {
        // Only `run` loads the controller itself: `controller status` must start as fast as a client.
        const { runController } = await import('../../controller/main.js');
        await runController({ env: ctx.env, cwd: ctx.cwd, sets: (values.set as string[] | undefined) ?? [] });
        return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
      }
      case 'start': {
        const existing = await tryConnect(ctx.env);
        if (existing) {
          existing.close();
          ctx.out('the controller is already running');
          return EXIT.ok;
        }
        await startController(ctx.env, paths, (values.set as string[] | undefined) ?? []);
        ctx.out(`controller started (${paths.socket})`);
        return EXIT.ok;
      }
      case 'stop': {
        const client = await tryConnect(ctx.env);
        if (!client) {
          ctx.out('no controller is running');
          return EXIT.ok;
        }
        let pid = 0;
        try {
          pid = Number(readFileSync(paths.pid, 'utf8').trim());
        } catch {
          // no pid file: the socket's close tells us it stopped
        }
        await new Promise<void>((resolve) => {
          client.onClose(() => resolve());
          void client.request({ op: 'shutdown' }).catch(() => resolve());
        });
        // The socket closes before the process exits; wait for the exit so a start right after works.
        const deadline = Date.now() + 10_000;
        while (pid && processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        ctx.out('controller stopped');
        return EXIT.ok;
      }
      case 'status': {
        const client = await tryConnect(ctx.env);
        if (!client) {
          if (values.json) printJson(ctx, { up: false, home: paths.home });
          else ctx.out(`no controller is running for ${paths.home}`);
          return EXIT.controller;
        }
        const stats = await client.request({ op: 'stats' });
        client.close();
        if (values.json) printJson(ctx, { up: true, home: paths.home, ...stats });
        else
          ctx.out(
            `controller ${stats.pid} up ${formatDuration(stats.uptimeMs)}, ${stats.running} running, ${stats.pending} queued, ` +
              `rss ${(stats.rssBytes / 1048576).toFixed(0)} MB, gate ${stats.gate.open ? 'open' : `closed (${stats.gate.detail})`}\nhome ${paths.home}`,
          );
        return EXIT.ok;
      }
      case 'reload': {
        const client = await tryConnect(ctx.env);
        if (!client) {
          ctx.err(`no controller is running for ${paths.home}: the next one reads the configuration when it starts`);
          return EXIT.controller;
        }
        const result = await client.request({ op: 'reload' });
        client.close();
        if (values.json) printJson(ctx, result);
        else if (result.error) ctx.err(`the configuration was not reloaded; the controller keeps the one it has:\n${result.error}`);
        else {
          ctx.out(result.applied.length ? `applied: ${result.applied.join(', ')}` : 'nothing changed');
          if (result.restart.length) ctx.out(`needs a restart (panecrew controller stop, then any command): ${result.restart.join(', ')}`);
        }
        return result.error ? EXIT.usage : EXIT.ok;
      }
      default:
        throw new UsageError(`unknown action "${action}": use start, stop, status, reload or run`);
    }
  },
});
