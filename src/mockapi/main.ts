#!/usr/bin/env node
// `node dist/mockapi/main.js [--port N]`: serves the explorer script until killed and prints
// {"url":"http://127.0.0.1:PORT"} as one JSON line, so the demo and CLI tests can read where it is.
import { explorerScript } from './explorer.js';
import { startMockApi } from './server.js';

async function main(argv: string[]): Promise<number> {
  let port = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--port') {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 0 || value > 65535) {
        process.stderr.write(`mockapi: --port needs an integer 0-65535, got ${String(argv[i])}\n`);
        return 2;
      }
      port = value;
    } else {
      process.stderr.write(`mockapi: unknown argument ${String(arg)} (usage: main.js [--port N])\n`);
      return 2;
    }
  }
  const api = await startMockApi(explorerScript, { port });
  process.stdout.write(`${JSON.stringify({ url: api.url, port: api.port })}\n`);
  const stop = (): void => {
    void api.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return new Promise<number>(() => {});
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`mockapi: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
