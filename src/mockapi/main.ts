#!/usr/bin/env node
// `node dist/mockapi/main.js [--port N] [--delay-ms N]`: serves the explorer script until killed and
// prints {"url":"http://127.0.0.1:PORT"} as one JSON line, so the demo and CLI tests can read where it
// is. --delay-ms slows each SSE chunk (the demo streams slowly enough to watch).
import { explorerScript } from './explorer.js';
import { startMockApi } from './server.js';

async function main(argv: string[]): Promise<number> {
  const numbers: Record<string, number> = { '--port': 0, '--delay-ms': 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = Number(argv[++i]);
    if (!(arg in numbers)) {
      process.stderr.write(`mockapi: unknown argument ${arg} (usage: main.js [--port N] [--delay-ms N])\n`);
      return 2;
    }
    if (!Number.isInteger(value) || value < 0 || (arg === '--port' && value > 65535)) {
      process.stderr.write(`mockapi: ${arg} needs a whole number${arg === '--port' ? ' 0-65535' : ''}, got ${String(argv[i])}\n`);
      return 2;
    }
    numbers[arg] = value;
  }
  const delayMs = numbers['--delay-ms']!;
  const script = delayMs ? async (req: Parameters<typeof explorerScript>[0]) => ({ delayMs, ...(await explorerScript(req)) }) : explorerScript;
  const api = await startMockApi(script, { port: numbers['--port'] });
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
