// Runs the agent and the mock server as real child processes (node on compiled JS), the way the
// runner and the demo start them. Only src/agent and src/mockapi are compiled, into a private
// folder, so this file does not depend on the rest of the project compiling.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMockApi, type MockApi } from '../support/mock-api.js';
import { agentEnv, readEvents, tempDir, until } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
// Inside the project so compiled files resolve @anthropic-ai/sdk from its node_modules.
const BUILD = path.join(ROOT, 'node_modules', '.cache', `panecrew-agent-test-${process.pid}`);
const AGENT_BIN = path.join(BUILD, 'agent', 'bin.js');
const MOCK_BIN = path.join(BUILD, 'mockapi', 'main.js');

interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function watch(child: ChildProcess): { exited: Promise<Exited>; stdout: () => string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<Exited>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { exited, stdout: () => stdout };
}

const children: ChildProcess[] = [];
let api: MockApi | undefined;
let dir: string;

beforeAll(() => {
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      ...['--outDir', BUILD, '--rootDir', path.join(ROOT, 'src')],
      ...['--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', '--types', 'node'],
      ...['--strict', '--noUncheckedIndexedAccess', '--noImplicitOverride', '--skipLibCheck'],
      path.join(ROOT, 'src', 'agent', 'bin.ts'),
      path.join(ROOT, 'src', 'mockapi', 'main.ts'),
    ],
    { stdio: 'pipe' },
  );
}, 120_000);

afterAll(() => fs.rmSync(BUILD, { recursive: true, force: true }));

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await api?.close();
  api = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function startAgent(url: string, args: string[]): { child: ChildProcess; exited: Promise<Exited>; stdout: () => string; events: string } {
  const events = path.join(dir, 'events.jsonl');
  const child = spawn(process.execPath, [AGENT_BIN, '--prompt', 'Explore', '--cwd', dir, '--events', events, ...args], {
    env: { ...agentEnv(url), PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return { child, ...watch(child), events };
}

describe('agent and mock server as child processes', () => {
  it('mockapi/main.js prints its url as one JSON line and the agent explores a repo through it', async () => {
    dir = tempDir();
    fs.writeFileSync(path.join(dir, 'README.md'), '# Kestrel\nA tiny falconry scheduler.\n');
    fs.mkdirSync(path.join(dir, 'lib'));
    const server = spawn(process.execPath, [MOCK_BIN, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(server);
    const serverOut = watch(server);
    const line = await until('the mock server url line', () => serverOut.stdout().split('\n').find((l) => l.startsWith('{')));
    const { url } = JSON.parse(line) as { url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${url}/`, { method: 'HEAD' })).status).toBe(200);

    const result = path.join(dir, 'out', 'result.md');
    const agent = startAgent(url, ['--result', result]);
    const done = await agent.exited;
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('→ list_dir .');
    expect(done.stdout).toContain('→ read_file README.md');
    expect(fs.readFileSync(result, 'utf8')).toContain('README.md begins: # Kestrel / A tiny falconry scheduler.');

    server.kill('SIGTERM');
    expect((await serverOut.exited).code).toBe(0);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s mid-stream aborts the request and exits %i with a final event', async (sig, expected) => {
    dir = tempDir();
    api = await startMockApi([{ text: 'slow '.repeat(300), delayMs: 100 }]);
    const agent = startAgent(api.url, []);
    // The stream has begun once the first words reach the pane.
    await until('streamed text on stdout', () => agent.stdout().includes('slow slow'));
    const sentAt = Date.now();
    agent.child.kill(sig);
    const done = await agent.exited;
    expect(done.code).toBe(expected);
    expect(Date.now() - sentAt).toBeLessThan(3000);
    expect(readEvents(agent.events).at(-1)).toMatchObject({ type: 'error', message: expect.stringContaining(`cancelled by ${sig}`) });
  });

  it('exits 75 (EX_TEMPFAIL) when rate limits outlast the retries', async () => {
    dir = tempDir();
    api = await startMockApi(() => ({ error: { status: 429, retryAfter: 0.05 } }));
    const agent = startAgent(api.url, ['--max-retries', '1']);
    const done = await agent.exited;
    expect(done.code).toBe(75);
    expect(api.requests).toHaveLength(2);
    expect(done.stderr).toContain('API error 429 rate_limit_error');
    expect(readEvents(agent.events).map((e) => e.type)).toEqual(['start', 'error']);
  });
});
