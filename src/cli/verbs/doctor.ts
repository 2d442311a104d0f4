import { spawnSync } from 'node:child_process';
import { loadConfig } from '../../config/load.js';
import { ControllerClient } from '../../controller/client.js';
import type { Stats } from '../../controller/protocol.js';
import type { ChannelHealth } from '../../notify/index.js';
import { installedCheck, resolveProfiles } from '../../runner/profiles.js';
import { defineVerb, EXIT, printJson } from '../command.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

function version(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? (r.stdout || r.stderr).trim().split('\n')[0]! : null;
}

export default defineVerb({
  name: 'doctor',
  summary: 'Check what panecrew needs: config, tmux, notifications, agent CLIs, the controller.',
  usage: 'doctor [--json]',
  help: `
Options:
  --json    the checks as JSON
Exit codes: 0 all essential checks pass, 1 something essential is missing.`,
  options: { json: { type: 'boolean' } },
  async run({ values }, ctx) {
    const checks: Check[] = [];
    const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
    const major = Number(process.versions.node.split('.')[0]);
    add('node', major >= 20, `node ${process.versions.node} (needs >= 20.19)`);
    let config;
    try {
      const loaded = loadConfig({ cwd: ctx.cwd, env: ctx.env });
      config = loaded.config;
      add('config', true, loaded.warnings.length ? `valid, with warnings: ${loaded.warnings.join('; ')}` : 'valid');
    } catch (err) {
      add('config', false, (err as Error).message);
    }
    const tmux = version('tmux', ['-V']);
    add('tmux', tmux !== null || config?.tmux.enabled === false, tmux ?? 'not installed: tasks run headless (apt-get install tmux)');
    add('notify-send', true, version('notify-send', ['--version']) ?? 'not installed: no desktop notifications (apt-get install libnotify-bin)');
    add('d-bus session', true, ctx.env.DBUS_SESSION_BUS_ADDRESS ? ctx.env.DBUS_SESSION_BUS_ADDRESS : 'DBUS_SESSION_BUS_ADDRESS is not set: desktop notifications will fail');
    if (config) {
      const profiles = resolveProfiles(config.agents);
      const found = await Promise.all(Object.entries(profiles).map(async ([name, p]) => [name, (await installedCheck(p, ctx.env)).installed] as const));
      add('agents', true, found.map(([n, ok]) => `${n}${ok ? '' : ' (not installed)'}`).join(', '));
    }
    try {
      const client = await ControllerClient.connect({ env: ctx.env, autostart: false });
      const { notifications, stats } = await client.request({ op: 'health' });
      client.close();
      add('controller', true, `pid ${stats.pid}, ${stats.running} running, ${stats.pending} queued`);
      for (const n of notifications) add(`notify: ${n.channel}`, true, `${n.enabled ? (n.ok ? 'ok' : 'failing') : 'off'}${n.detail ? ` — ${n.detail}` : ''}`);
    } catch {
      add('controller', true, 'not running (it starts on demand)');
    }
    if (values.json) printJson(ctx, checks);
    else for (const c of checks) ctx.out(`${c.ok ? '✓' : '✗'} ${c.name.padEnd(16)} ${c.detail}`);
    return checks.every((c) => c.ok) ? EXIT.ok : EXIT.failed;
  },
});
