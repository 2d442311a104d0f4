import { spawnSync } from 'node:child_process';
import type { Config } from '../../config/schema.js';
import { loadConfig } from '../../config/load.js';
import { ControllerClient } from '../../controller/client.js';
import type { Stats } from '../../controller/protocol.js';
import type { ChannelHealth } from '../../notify/index.js';
import { createDesktopChannel } from '../../notify/desktop.js';
import { installedCheck, resolveProfiles } from '../../runner/profiles.js';
import { sandboxProblem } from '../../runner/sandbox.js';
import { inert } from '../../render/inert.js';
import { defineVerb, EXIT, printJson } from '../command.js';
import { SUMMARY } from '../summaries.js';

/** One check, one verdict: ok, or failed with what to do about it. */
interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

function version(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? (r.stdout || r.stderr).trim().split('\n')[0]! : null;
}

function nodeCheck(): Check {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const ok = major > 20 || (major === 20 && minor >= 19);
  return { name: 'node', ok, detail: `node ${process.versions.node}`, ...(ok ? {} : { fix: 'install Node.js 20.19 or newer' }) };
}

function tmuxCheck(config: Config | undefined): Check {
  const tmux = version('tmux', ['-V']);
  if (tmux) return { name: 'tmux', ok: true, detail: tmux };
  if (config?.tmux.enabled === false) return { name: 'tmux', ok: true, detail: 'not installed; tmux.enabled is false, so tasks run headless' };
  return { name: 'tmux', ok: false, detail: 'not installed', fix: 'apt-get install tmux (or set tmux.enabled: false to run every task headless)' };
}

/** Whether `launch --sandbox` works here; a failure only when the config asks for sandboxes by default. */
function sandboxCheck(config: Config | undefined): Check {
  const problem = sandboxProblem();
  if (!problem) return { name: 'sandbox', ok: true, detail: 'bubblewrap works: launch --sandbox / --offline is available' };
  const wanted = !!config && config.defaults.sandbox !== 'off';
  return { name: 'sandbox', ok: !wanted, detail: `not available: ${problem}`, ...(wanted ? { fix: 'fix the above, or set defaults.sandbox: off' } : {}) };
}

/** Notification channels as the running controller sees them; without one, the desktop channel probed here. */
function notifyChecks(config: Config, health: ChannelHealth[] | null, env: NodeJS.ProcessEnv): Check[] {
  if (config.notification.strategy === 'silent') return [{ name: 'notify', ok: true, detail: 'strategy silent: no notifications' }];
  const desktopFix = 'install libnotify-bin and run in a desktop session (DBUS_SESSION_BUS_ADDRESS set), or set notification.desktop.enabled: false';
  const fixes: Record<string, string> = {
    desktop: desktopFix,
    tmux: 'run tasks from inside tmux, or set notification.tmux.enabled: false',
    bell: 'set notification.bell.enabled: false',
    command: 'check notification.command.argv (panecrew notify test shows the error)',
  };
  if (!health) {
    if (!config.notification.desktop.enabled) return [{ name: 'notify: desktop', ok: true, detail: 'disabled in config' }];
    const problem = createDesktopChannel({ sound: false, env }).probe?.() ?? null;
    return [problem ? { name: 'notify: desktop', ok: false, detail: problem, fix: desktopFix } : { name: 'notify: desktop', ok: true, detail: 'notify-send and a D-Bus session found' }];
  }
  return health.map((n) => {
    const ok = !n.enabled || n.ok;
    const detail = `${n.enabled ? (n.ok ? 'ok' : 'failing') : 'off'}${n.detail ? `: ${n.detail}` : ''}`;
    return { name: `notify: ${n.channel}`, ok, detail, ...(ok ? {} : { fix: fixes[n.channel] ?? 'panecrew notify test says more' }) };
  });
}

async function agentChecks(config: Config, env: NodeJS.ProcessEnv): Promise<Check[]> {
  const profiles = resolveProfiles(config.agents);
  const found = await Promise.all(Object.entries(profiles).map(async ([name, p]) => [name, (await installedCheck(p, env)).installed] as const));
  const missing = found.filter(([, ok]) => !ok).map(([n]) => n);
  const checks: Check[] = [{ name: 'agents', ok: true, detail: `installed: ${found.filter(([, ok]) => ok).map(([n]) => n).join(', ') || 'none'}${missing.length ? `; not installed: ${missing.join(', ')}` : ''}` }];
  const def = config.defaults.agent;
  if (missing.includes(def)) {
    checks.push({ name: 'default agent', ok: false, detail: `defaults.agent is ${def}, which is not installed`, fix: `install ${def}, or set defaults.agent to one of: ${found.filter(([, ok]) => ok).map(([n]) => n).join(', ')}` });
  }
  return checks;
}

export default defineVerb({
  name: 'doctor',
  summary: SUMMARY.doctor,
  usage: 'doctor [--json]',
  help: `
Each check prints ✓ or ✗; a ✗ says how to fix it.
Options:
  --json    the checks as JSON ({name, ok, detail, fix})
Exit codes: 0 every check passes, 1 any check failed.`,
  options: { json: { type: 'boolean' } },
  async run({ values }, ctx) {
    const checks: Check[] = [nodeCheck()];
    let config: Config | undefined;
    try {
      const loaded = loadConfig({ cwd: ctx.cwd, env: ctx.env });
      config = loaded.config;
      checks.push({ name: 'config', ok: true, detail: loaded.warnings.length ? `valid, with warnings: ${loaded.warnings.join('; ')}` : 'valid' });
    } catch (err) {
      checks.push({ name: 'config', ok: false, detail: (err as Error).message, fix: 'panecrew config check shows each problem with file:line:column' });
    }
    checks.push(tmuxCheck(config), sandboxCheck(config));
    let health: ChannelHealth[] | null = null;
    try {
      const client = await ControllerClient.connect({ env: ctx.env, autostart: false });
      const { notifications, stats, journal } = await client.request({ op: 'health' });
      client.close();
      health = notifications;
      checks.push({ name: 'controller', ok: true, detail: `pid ${stats.pid}, ${stats.running} running, ${stats.pending} queued` });
      checks.push(
        journal.problems.length
          ? {
              name: 'journal',
              ok: false,
              detail: `damaged when the controller started: ${journal.problems.join('; ')}`,
              fix: `the unreadable lines are kept in ${journal.quarantineFile ?? 'the controller log'}: look at them, then delete the file`,
            }
          : { name: 'journal', ok: true, detail: 'replayed whole' },
      );
    } catch {
      checks.push({ name: 'controller', ok: true, detail: 'not running (it starts on demand)' });
    }
    if (config) checks.push(...notifyChecks(config, health, ctx.env), ...(await agentChecks(config, ctx.env)));
    if (values.json) printJson(ctx, checks);
    else {
      for (const c of checks) {
        ctx.out(`${c.ok ? '✓' : '✗'} ${c.name.padEnd(16)} ${inert(c.detail, { multiline: true }).replace(/\n/g, `\n${' '.repeat(19)}`)}`);
        if (c.fix) ctx.out(`  ${' '.repeat(16)} fix: ${c.fix}`);
      }
    }
    return checks.every((c) => c.ok) ? EXIT.ok : EXIT.failed;
  },
});
