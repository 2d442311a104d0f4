// Putting text into an agent's input in its pane, the way a person pasting would, and telling
// whether the person is in the middle of typing there. The text never becomes a tmux argument or
// passes through a shell: it goes to a tmux buffer on load-buffer's stdin, and is pasted from there.
// That the agent took it is confirmed by its own prompt-submitted signal, not here.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TmuxClient } from './client.js';
import { ENTER_AFTER_PASTE_MS, INPUT_BOXES, type InputBoxName } from './input-boxes.js';

/** Larger text is refused: an agent's message, not a file to upload. */
export const MAX_INPUT_CHARS = 256 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;
const POLL_MS = 50;

/** The person has typed in the agent's input and not sent it: delivering now would mix into it. */
export class PendingInputError extends Error {
  constructor(pane: string) {
    super(`pane ${pane} has text typed in the agent's input that was not sent; try again once it is sent or cleared`);
    this.name = 'PendingInputError';
  }
}

export interface DeliverOptions {
  /**
   * The agent TUI's input box. With it, delivery waits for the box to show (the TUI is up), refuses
   * to mix into text the person typed, and presses Enter only once the pasted text shows in the box:
   * a busy TUI still taking the paste in drops an Enter that comes too soon (seen with Claude Code).
   */
  box?: InputBoxName;
  /** Deadline for each wait above. */
  timeoutMs?: number;
}

/**
 * Types `text` into the pane's input and submits it: `load-buffer` (text on stdin) into a buffer of
 * its own, `paste-buffer -p` (bracketed paste, so a newline inside does not submit; -d drops the
 * buffer), then Enter. The agent must have turned bracketed paste on (its TUI is up): pass `box`.
 */
export async function deliverText(client: TmuxClient, pane: string, text: string, opts: DeliverOptions = {}): Promise<void> {
  if (text.trim() === '') throw new Error('nothing to send: the text is empty');
  if (text.length > MAX_INPUT_CHARS) throw new Error(`the text is ${text.length} characters; at most ${MAX_INPUT_CHARS} can be sent (put the rest in a file and send its path)`);
  if (text.includes('\0')) throw new Error('the text holds a NUL character, which a terminal cannot take; remove it');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const box = opts.box;
  if (box) {
    const typed = await waitForBox(client, pane, box, timeoutMs, (t) => t !== null, 'its input box to show');
    if (typed !== '') throw new PendingInputError(pane);
  }
  const buffer = `panecrew-input-${randomBytes(8).toString('hex')}`;
  await client.runWithInput(['load-buffer', '-b', buffer, '-'], text);
  try {
    await client.run(['paste-buffer', '-p', '-d', '-b', buffer, '-t', pane]);
  } catch (err) {
    await client.run(['delete-buffer', '-b', buffer]).catch(() => undefined); // -d did not run
    throw err;
  }
  if (box) {
    await waitForBox(client, pane, box, timeoutMs, (t) => !!t, 'the pasted text to show in its input box');
    const settle = ENTER_AFTER_PASTE_MS[box];
    if (settle) await sleep(settle);
  }
  await client.run(['send-keys', '-t', pane, 'Enter']);
}

/**
 * Whether the pane's input box holds text the person has typed and not sent: then delivering would
 * mix into it. Also true when no input box can be seen (a permission dialog covers it, the TUI is
 * not up): text sent then would not land in the input.
 */
export async function pendingInput(client: TmuxClient, pane: string, box: InputBoxName): Promise<boolean> {
  const typed = await readBox(client, pane, box);
  return typed === null || typed !== '';
}

async function readBox(client: TmuxClient, pane: string, box: InputBoxName): Promise<string | null> {
  return INPUT_BOXES[box](await client.run(['capture-pane', '-p', '-t', pane]));
}

async function waitForBox(
  client: TmuxClient,
  pane: string,
  box: InputBoxName,
  timeoutMs: number,
  done: (typed: string | null) => boolean,
  what: string,
): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const typed = await readBox(client, pane, box);
    if (done(typed)) return typed;
    if (Date.now() > deadline) throw new Error(`pane ${pane}: timed out after ${timeoutMs}ms waiting for ${what}`);
    await sleep(POLL_MS);
  }
}
