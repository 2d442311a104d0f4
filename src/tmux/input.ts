// Typing into a pane's program: a follow-up for an interactive agent. The text is passed to tmux as
// one argument (never through a shell or a command string) and sent as literal keys.
import type { TmuxClient } from './client.js';

export async function deliverText(client: TmuxClient, paneId: string, text: string): Promise<void> {
  await client.run(['send-keys', '-t', paneId, '-l', '--', text.replace(/\r?\n/g, ' ')]);
  await client.run(['send-keys', '-t', paneId, 'Enter']);
}
