// Putting text into an agent's input in its pane, the way a person pasting would, and telling
// whether the person is in the middle of typing there. The text never becomes a tmux argument or
// passes through a shell: it goes to a tmux buffer on load-buffer's stdin, and is pasted from there.
// That the agent got it is confirmed by its own prompt-submitted signal, not here.
import { randomBytes } from 'node:crypto';
import type { TmuxClient } from './client.js';
import { INPUT_BOXES, type InputBoxName } from './input-boxes.js';

/** Larger text is refused: an agent's message, not a file to upload. */
export const MAX_INPUT_CHARS = 256 * 1024;

/**
 * Types `text` into the pane's input and submits it: `load-buffer` (text on stdin) into a buffer of
 * its own, `paste-buffer -p` (bracketed paste, so a newline inside does not submit early; -d drops
 * the buffer), then Enter. The TUI must already be up: before it turns bracketed paste on, each
 * newline would submit.
 */
export async function deliverText(client: TmuxClient, pane: string, text: string): Promise<void> {
  if (text.trim() === '') throw new Error('nothing to send: the text is empty');
  if (text.length > MAX_INPUT_CHARS) throw new Error(`the text is ${text.length} characters; at most ${MAX_INPUT_CHARS} can be sent (put the rest in a file and send its path)`);
  if (text.includes('\0')) throw new Error('the text holds a NUL character, which a terminal cannot take; remove it');
  const buffer = `panecrew-input-${randomBytes(8).toString('hex')}`;
  await client.runWithInput(['load-buffer', '-b', buffer, '-'], text);
  try {
    await client.runAll([
      ['paste-buffer', '-p', '-d', '-b', buffer, '-t', pane],
      ['send-keys', '-t', pane, 'Enter'],
    ]);
  } catch (err) {
    await client.run(['delete-buffer', '-b', buffer]).catch(() => undefined); // -d did not run
    throw err;
  }
}

/**
 * Whether the pane's input box holds text the person has typed and not sent: then delivering would
 * mix into it. Also true when no input box can be seen (a permission dialog covers it, the TUI is
 * not up): text sent then would not land in the input.
 */
export async function pendingInput(client: TmuxClient, pane: string, box: InputBoxName): Promise<boolean> {
  const screen = await client.run(['capture-pane', '-p', '-t', pane]);
  const typed = INPUT_BOXES[box](screen);
  return typed === null || typed !== '';
}
