#!/usr/bin/env node
// The prompt hook's own entry point: `panecrew hook claude-code` without loading the whole CLI
// (every verb and its dependencies), so Claude Code's prompt waits ~0.1 s for it instead of ~0.5 s.
// Whatever happens, it exits 0: a hook must never fail the prompt.
import { uncollectedNotices } from './hook.js';

try {
  if (process.argv[2] === 'claude-code') {
    const notices = await uncollectedNotices(process.env);
    if (notices.length) process.stdout.write(`${notices.join('\n')}\n`);
  } else {
    process.stderr.write('panecrew hook: the only hook is: claude-code\n');
  }
} catch {
  // uncollectedNotices already swallows controller errors; this is only a last guard
}
process.exitCode = 0;
