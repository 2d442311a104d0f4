// Desktop notifications: notify-send with an argv array on Linux/BSD, node-notifier elsewhere.
//
// Why not node-notifier on Linux: its NotifySend joins the arguments into one shell string
// (child_process.exec). Its quoting of $ ` " \ holds, but measured with node-notifier 10.0.1
// (test/notify/node-notifier-finding.test.ts): a title starting with "-" is parsed as a notify-send
// option ("--urgency=critical" changes the urgency, "-?" prints help and shows nothing, "--wait"
// would hang), it takes no per-call env (so no DBUS_SESSION_BUS_ADDRESS without mutating
// process.env) and no timeout. On macOS and Windows its backends run execFile with argv arrays,
// so node-notifier stays the entry point there.
import { firstLine } from '../core/text.js';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Channel, Notification } from './notification.js';

export interface DesktopChannelOptions {
  sound: boolean;
  /** Merged over process.env for the notify-send process (e.g. DBUS_SESSION_BUS_ADDRESS). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  platform?: NodeJS.Platform;
}

const APP_NAME = 'panecrew';

/**
 * The notification spec lets servers render the body as markup, and GNOME, KDE, dunst and mako
 * do, so `<b>` in a task title would turn bold (or hide a tag). notify-send also runs
 * g_strcompress() over the body, turning a literal `\n` or `\\` into something else.
 */
export function escapeBody(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function notifySendArgs(n: Notification, sound: boolean): string[] {
  return [
    `--app-name=${APP_NAME}`,
    `--urgency=${n.urgency}`,
    sound ? '--hint=string:sound-name:message-new-instant' : '--hint=boolean:suppress-sound:true',
    // Everything after -- is the summary and body, even when a title starts with "-".
    '--',
    n.title,
    escapeBody(n.body),
  ];
}

function findOnPath(program: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}


export function createDesktopChannel(options: DesktopChannelOptions): Channel {
  const platform = options.platform ?? process.platform;
  const timeoutMs = options.timeoutMs ?? 5000;
  const env = { ...process.env, ...options.env };
  const viaNotifySend = platform === 'linux' || platform.endsWith('bsd');

  async function sendNotifySend(n: Notification): Promise<void> {
    // execa on first use: an idle controller never needs it (docs/benchmarks.md, footprint).
    const { execa } = await import('execa');
    const result = await execa('notify-send', notifySendArgs(n, options.sound), {
      env,
      extendEnv: false,
      stdin: 'ignore',
      stdout: 'ignore',
      timeout: timeoutMs,
      forceKillAfterDelay: 500,
      reject: false,
    });
    if (result.failed) {
      const why = result.timedOut
        ? `notify-send did not finish within ${timeoutMs}ms (is the notification daemon hung?)`
        : result.code === 'ENOENT'
          ? 'notify-send is not installed; install libnotify-bin (Debian/Ubuntu) or libnotify (Fedora/Arch)'
          : `notify-send failed (exit ${result.exitCode ?? result.signal}): ${firstLine(String(result.stderr ?? '')) || result.shortMessage}` +
            ' — is a desktop session with a notification daemon running (DBUS_SESSION_BUS_ADDRESS)?';
      throw new Error(why);
    }
  }

  async function sendNodeNotifier(n: Notification): Promise<void> {
    const { default: notifier } = await import('node-notifier');
    await new Promise<void>((resolve, reject) => {
      notifier.notify({ title: n.title, message: n.body, sound: options.sound, wait: false }, (err) =>
        err ? reject(new Error(`node-notifier failed: ${err.message}`)) : resolve(),
      );
    });
  }

  return {
    name: 'desktop',
    timeoutMs: timeoutMs + 1000,
    send: (n) => (viaNotifySend ? sendNotifySend(n) : sendNodeNotifier(n)),
    probe() {
      if (!viaNotifySend) return null;
      if (!findOnPath('notify-send', env)) {
        return 'notify-send is not on PATH; install libnotify-bin (Debian/Ubuntu) or libnotify (Fedora/Arch)';
      }
      const runtimeBus = env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'bus') : null;
      if (!env.DBUS_SESSION_BUS_ADDRESS && !(runtimeBus && existsSync(runtimeBus))) {
        return 'no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset); desktop notifications need a graphical session';
      }
      return null;
    },
  };
}
