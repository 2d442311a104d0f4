// A status-line message on every client attached to the launching pane's session.
import type { Channel, Notification } from './notification.js';
import { clientsShowingPane, tmuxFor } from './tmux-clients.js';

export interface TmuxChannelOptions {
  durationMs: number;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const MAX_CHARS = 300;

/**
 * display-message expands #{formats} and #[styles] in its message, so user text doubles every
 * `#`. Control characters would reach the terminal raw; newlines become separators.
 */
export function tmuxMessageText(n: Pick<Notification, 'title' | 'body'>): string {
  const lines = [n.title, ...n.body.split(/\r?\n/)].map((l) => l.trim()).filter((l) => l !== '');
  let text = lines.join(' · ').replace(/[\u0000-\u001f\u007f]/g, ' ');
  if (text.length > MAX_CHARS) text = `${text.slice(0, MAX_CHARS - 1)}…`;
  return `panecrew: ${text}`.replace(/#/g, '##');
}

export function createTmuxChannel(options: TmuxChannelOptions): Channel {
  const timeoutMs = options.timeoutMs ?? 3000;
  return {
    name: 'tmux',
    timeoutMs: timeoutMs * 3 + 1000,
    skipReason: (n) => (n.tmuxPane ? null : 'no launching tmux pane'),
    async send(n) {
      if (!n.tmuxPane) return;
      const target = { socket: n.tmuxSocket, pane: n.tmuxPane, env: options.env, timeoutMs };
      const clients = await clientsShowingPane(target);
      if (clients.length === 0) return; // nobody is looking: nothing to show, nothing wrong
      const text = tmuxMessageText(n);
      const tmux = tmuxFor(target);
      const failures: string[] = [];
      await Promise.all(
        clients.map((c) =>
          tmux.run(['display-message', '-c', c.name, '-d', String(options.durationMs), '--', text]).catch((err: Error) => {
            failures.push(`${c.name}: ${err.message}`);
          }),
        ),
      );
      if (failures.length === clients.length) throw new Error(failures.join('; '));
    },
  };
}
