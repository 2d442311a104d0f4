#!/usr/bin/env node
// The prompt hook's own entry point: `panecrew hook claude-code` without loading the whole CLI
// (every verb and its dependencies), so Claude Code's prompt waits ~0.1 s for it instead of ~0.5 s.
// Whatever happens, it exits 0: a hook must never fail the prompt, nor linger after answering.
import { announceUncollected } from './hook.js';

/** Resolves once `text` has left (a write to a pipe may be asynchronous), or after a second at most. */
const emit = (stream: NodeJS.WriteStream, text: string): Promise<void> =>
  Promise.race([
    new Promise<void>((resolve) => {
      stream.once('error', () => resolve());
      stream.write(text, () => resolve());
    }),
    new Promise<void>((resolve) => setTimeout(resolve, 1_000)),
  ]);

let printed: Promise<void> = Promise.resolve();
try {
  if (process.argv[2] === 'claude-code') {
    // The notices are written before their tasks are marked read.
    await announceUncollected(process.env, (notices) => (printed = emit(process.stdout, `${notices.join('\n')}\n`)));
  } else {
    printed = emit(process.stderr, 'panecrew hook: the only hook is: claude-code\n');
  }
  await printed;
} catch {
  // announceUncollected already swallows controller errors; this is only a last guard
}
process.exit(0);
