#!/usr/bin/env node
// The hooks' own entry point, without loading the whole CLI (every verb and its dependencies):
// `claude-code` (UserPromptSubmit: Claude Code's prompt waits ~0.1 s for it instead of ~0.5 s) and
// `wait` (the asyncRewake waiter, which lives as long as its session: it must stay small).
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
try {
  const which = process.argv[2];
  if (which === 'claude-code') {
    const session = parseHookInput(await readStdin())?.session;
    // The notices are written before their tasks are marked read.
    await announceUncollected(process.env, (notices) => (printed = emit(process.stdout, `${notices.join('\n')}\n`)), undefined, undefined, session);
  } else if (which === 'wait') {
    const input = parseHookInput(await readStdin());
    const mainPid = findMainAgent();
    // A one-prompt run would end before any wake: its endings stay for the prompt hook of a later session.
    const tasks = input && mainPid !== null && !runsOnePrompt(mainPid) ? await waitForEndings({ env: process.env, input, mainPid }) : null;
    // Exit 2 with the text on stderr: Claude Code's asyncRewake hands it to the model.
    if (tasks?.length) {
      printed = emit(process.stderr, `${wakeText(tasks)}\n`);
      code = 2;
    }
  } else {
    printed = emit(process.stderr, 'panecrew hook: the hooks are: claude-code, wait\n');
  }
  await printed;
} catch {
  // announceUncollected already swallows controller errors; this is only a last guard
}
process.exit(code);
