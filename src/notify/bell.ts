// The terminal bell on every client tty showing the launching pane's session: the terminal
// emulator turns it into its own urgency hint, sound or flash.
import { open } from 'node:fs/promises';
import { constants } from 'node:fs';
import type { Channel } from './notification.js';
import { clientsShowingPane } from './tmux-clients.js';

export interface BellChannelOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

async function ring(tty: string): Promise<void> {
  // O_NOCTTY: opening someone's tty must not make it our controlling terminal.
  // O_NONBLOCK: a tty stopped with ^S must not hang the controller.
  const handle = await open(tty, constants.O_WRONLY | constants.O_NOCTTY | constants.O_NONBLOCK);
  try {
    await handle.write('\x07');
  } finally {
    await handle.close();
  }
}

export function createBellChannel(options: BellChannelOptions = {}): Channel {
  const timeoutMs = options.timeoutMs ?? 3000;
  return {
    name: 'bell',
    timeoutMs: timeoutMs * 2 + 1000,
    skipReason: (n) => (n.tmuxPane ? null : 'no launching tmux pane'),
    async send(n) {
      if (!n.tmuxPane) return;
      const clients = await clientsShowingPane({ socket: n.tmuxSocket, pane: n.tmuxPane, env: options.env, timeoutMs });
      const failures: string[] = [];
      await Promise.all(
        clients
          .filter((c) => c.tty)
          .map((c) => ring(c.tty).catch((err: Error) => failures.push(`${c.tty}: ${err.message}`))),
      );
      if (failures.length > 0 && failures.length === clients.length) throw new Error(`could not ring the bell: ${failures.join('; ')}`);
    },
  };
}
