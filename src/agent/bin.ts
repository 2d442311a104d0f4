#!/usr/bin/env node
// Standalone entry for the built-in agent (`node dist/agent/bin.js --prompt ...`); `panecrew agent`
// calls runAgent directly. Exits explicitly: the HTTP keep-alive pool would otherwise hold the process.
import { runAgent } from './main.js';

runAgent(process.argv.slice(2), process.env).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (err: unknown) => {
    process.stderr.write(`panecrew agent: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
