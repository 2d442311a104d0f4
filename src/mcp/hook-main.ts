#!/usr/bin/env node
// The hooks' own entry point, without loading the whole CLI (every verb and its dependencies):
// `wait` (the asyncRewake waiter, which lives as long as its session: it must stay small) and
// `claude-code` (the UserPromptSubmit hook of settings written by an older `integrate`).
// `claude-code` exits 0 whatever happens: a hook must never fail the prompt, nor linger.
import { announceUncollected } from './hook.js';
import { findMainAgent, runsOnePrompt } from './main-agent.js';
import { parseHookInput, waitForEndings, wakeText } from './wake.js';

/** Resolves once `text` has left (a write to a pipe may be asynchronous), or after a second at most. */
const emit = (stream: NodeJS.WriteStream, text: string): Promise<void> =>
  Promise.race([
    new Promise<void>((resolve) => {
      stream.once('error', () => resolve());
      stream.write(text, () => resolve());
    }),
    new Promise<void>((resolve) => setTimeout(resolve, 1_000)),
  ]);

/** The hook event Claude Code writes on stdin ('' when there is none within a second). */
function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return Promise.resolve('');
  return new Promise((resolve) => {
    let text = '';
    const done = () => {
      clearTimeout(timer);
      process.stdin.pause();
      resolve(text);
    };
    const timer = setTimeout(done, 1_000);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => (text += chunk.length + text.length > 1_048_576 ? '' : chunk));
    process.stdin.on('end', done);
    process.stdin.on('error', done);
  });
}

let printed: Promise<void> = Promise.resolve();
let code = 0;
/** Claims the session's endings not told yet and prints them (written before they are marked told). */
const announce = (session: string | undefined) => announceUncollected(process.env, (notices) => (printed = emit(process.stdout, `${notices.join('\n')}\n`)), undefined, undefined, session);
try {
  const which = process.argv[2];
  if (which === 'claude-code') {
    await announce(parseHookInput(await readStdin())?.session);
  } else if (which === 'wait') {
    const input = parseHookInput(await readStdin());
    const mainPid = findMainAgent();
    if (input && mainPid !== null && runsOnePrompt(mainPid)) {
      // One prompt (`claude -p`) runs its hooks in the foreground and ends before any wake could
      // come: what ended before it starts goes into its context (SessionStart's stdout), the rest
      // stays for a later session.
      if (input.event === 'SessionStart') await announce(input.session);
    } else if (input && mainPid !== null) {
      const told = await waitForEndings({ env: process.env, input, mainPid });
      // Exit 2 with the text on stderr: Claude Code's asyncRewake hands it to the model.
      if (told && told.tasks.length + told.milestones.length) {
        printed = emit(process.stderr, `${wakeText(told)}\n`);
        code = 2;
      }
    }
  } else {
    printed = emit(process.stderr, 'panecrew hook: the hooks are: claude-code, wait\n');
  }
  await printed;
} catch {
  // announceUncollected already swallows controller errors; this is only a last guard
}
process.exit(code);
