import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAgent } from '../../src/agent/main.js';
import { explorerScript, lastToolResults, startMockApi, type MockApi, type MockScript } from '../support/mock-api.js';
import { agentEnv, captureSink, readEvents, tempDir, until } from './helpers.js';

let api: MockApi | undefined;
let dir: string;
let work: string;

beforeEach(() => {
  dir = tempDir();
  work = path.join(dir, 'repo');
  fs.mkdirSync(path.join(work, 'src'), { recursive: true });
  fs.writeFileSync(path.join(work, 'src', 'auth.ts'), 'export const SECRET_MARKER = "blue-harbour-42";\n');
  fs.writeFileSync(path.join(work, 'README.md'), '# Demo repo\nIt authenticates users.\n');
});
afterEach(async () => {
  await api?.close();
  api = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the agent in-process against a fresh mock server with `script`. */
async function run(script: MockScript, extraArgs: string[] = [], io: { signal?: AbortSignal } = {}) {
  api = await startMockApi(script);
  const stdout = captureSink();
  const stderr = captureSink();
  const events = path.join(dir, 'events.jsonl');
  const result = path.join(dir, 'result.md');
  const code = await runAgent(
    ['--prompt', 'What does this repo do?', '--cwd', work, '--events', events, '--result', result, ...extraArgs],
    agentEnv(api.url),
    { stdout, stderr, ...io },
  );
  return { code, stdout: stdout.text(), stderr: stderr.text(), events: readEvents(events), resultFile: result, api };
}

/** A script that reads `file` with read_file, then echoes what came back. */
const readThenEcho = (file: string): MockScript => (req) => {
  const results = lastToolResults(req);
  if (results.length === 0) return { text: 'Reading.', toolUse: { name: 'read_file', input: { path: file } } };
  return { text: `The tool said: ${results[0]?.text ?? ''}` };
};

describe('built-in agent, in-process against the mock API', () => {
  it('reads a real file through a tool round trip and answers with its content', async () => {
    const r = await run(readThenEcho('src/auth.ts'));
    expect(r.code).toBe(0);
    expect(fs.readFileSync(r.resultFile, 'utf8')).toContain('blue-harbour-42');
    expect(r.stdout).toContain('→ read_file src/auth.ts');
    expect(r.stdout).toContain('The tool said: export const SECRET_MARKER');
    expect(r.stdout).toMatch(/✓ done: 2 turns/);
    const sent = r.api.requests[1]?.messages.at(-1);
    expect(sent?.content).toEqual([expect.objectContaining({ type: 'tool_result', content: expect.stringContaining('blue-harbour-42') })]);
  });

  it('offers the four read-only tools and the requested model', async () => {
    const r = await run([{ text: 'Nothing to do.' }], ['--model', 'claude-test-model']);
    expect(r.api.requests[0]?.model).toBe('claude-test-model');
    expect(r.api.requests[0]?.tools.map((t) => t.name).sort()).toEqual(['glob', 'grep', 'list_dir', 'read_file']);
  });

  it('writes start, step, usage and result events in order', async () => {
    const r = await run(readThenEcho('src/auth.ts'));
    expect(r.events.map((e) => e.type)).toEqual(['start', 'usage', 'step', 'usage', 'result']);
    const [start, usage1, step, usage2, result] = r.events;
    expect(start).toMatchObject({ type: 'start', model: 'claude-haiku-4-5' });
    expect(step).toMatchObject({ type: 'step', step: 'Read src/auth.ts', tool: 'read_file', input: { path: 'src/auth.ts' } });
    expect(result).toMatchObject({ type: 'result', isError: false, text: expect.stringContaining('blue-harbour-42') });
    // usage is cumulative
    if (usage1?.type !== 'usage' || usage2?.type !== 'usage') throw new Error('expected usage events');
    expect(usage2.inputTokens).toBeGreaterThan(usage1.inputTokens);
    for (const e of r.events) expect(typeof e.at).toBe('number');
  });

  it.each([
    ['a .. escape', '../outside.txt', /refused: \.\.\/outside\.txt is outside the working directory/],
    ['an absolute path outside', '/etc/passwd', /refused: \/etc\/passwd is outside the working directory/],
    ['a symlink leaving the cwd', 'leak.txt', /refused: leak\.txt is a symlink that resolves to .*outside\.txt, outside/],
  ])('refuses %s and tells the model why', async (_name, target, why) => {
    fs.writeFileSync(path.join(dir, 'outside.txt'), 'TOP SECRET outside the repo\n');
    fs.symlinkSync(path.join(dir, 'outside.txt'), path.join(work, 'leak.txt'));
    const r = await run(readThenEcho(target));
    expect(r.code).toBe(0);
    const [result] = lastToolResults(r.api.requests[1]!);
    expect(result?.isError).toBe(true);
    expect(result?.text).toMatch(why);
    expect(JSON.stringify(r.api.requests)).not.toContain('TOP SECRET');
    expect(r.stdout).toContain('✗ refused');
  });

  it('retries a 429 and then succeeds', async () => {
    const r = await run([{ error: { status: 429, retryAfter: 0.05 } }, { text: 'Answer after the rate limit.' }]);
    expect(r.code).toBe(0);
    expect(r.api.requests).toHaveLength(2);
    expect(r.events.at(-1)).toMatchObject({ type: 'result', text: 'Answer after the rate limit.' });
  });

  it('waits as long as retry-after asks before retrying', async () => {
    const r = await run([{ error: { status: 429, retryAfter: 0.6 } }, { text: 'ok' }]);
    expect(r.code).toBe(0);
    const [first, second] = r.events.filter((e) => e.type === 'start' || e.type === 'usage');
    // start is written before the first request; usage after the retried one has finished
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(550);
  });

  it('exits 75 with a retryable error event when 429s outlast the retries', async () => {
    const r = await run(() => ({ error: { status: 429, message: 'rate limited by the mock', retryAfter: 0.05 } }), ['--max-retries', '2']);
    expect(r.code).toBe(75);
    expect(r.api.requests).toHaveLength(3);
    expect(r.events.at(-1)).toMatchObject({ type: 'error', status: 429, retryable: true, message: expect.stringContaining('rate_limit_error: rate limited by the mock') });
    expect(r.stderr).toMatch(/API error 429 rate_limit_error: rate limited by the mock \(gave up after 2 retries\)/);
  });

  it('exits 75 on an overloaded (529) API too', async () => {
    const r = await run(() => ({ error: { status: 529, retryAfter: 0.01 } }), ['--max-retries', '0']);
    expect(r.code).toBe(75);
    expect(r.events.at(-1)).toMatchObject({ type: 'error', status: 529, retryable: true });
  });

  it('exits 1 with a non-retryable error event on a 400', async () => {
    const r = await run(() => ({ error: { status: 400, message: 'bad request from mock' } }));
    expect(r.code).toBe(1);
    expect(r.api.requests).toHaveLength(1);
    expect(r.events.at(-1)).toMatchObject({ type: 'error', status: 400, retryable: false });
    expect(r.stderr).toContain('API error 400 invalid_request_error: bad request from mock');
  });

  it('cancelling mid-stream ends quickly with 143 and a final event', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const running = run([{ text: 'word '.repeat(200), delayMs: 200 }], [], { signal: controller.signal });
    const eventsFile = path.join(dir, 'events.jsonl');
    await until('the first streamed words', () => api !== undefined && api.requests.length > 0 && readEvents(eventsFile).length > 0);
    controller.abort();
    const r = await running;
    expect(r.code).toBe(143);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.events.at(-1)).toMatchObject({ type: 'error', retryable: false, message: expect.stringContaining('cancelled by SIGTERM') });
    expect(fs.existsSync(r.resultFile)).toBe(false);
  });

  it('stops at --max-turns and says so in the result', async () => {
    const r = await run(() => ({ text: 'Still looking.', toolUse: { name: 'list_dir', input: { path: '.' } } }), ['--max-turns', '3']);
    expect(r.code).toBe(0);
    expect(r.api.requests).toHaveLength(3);
    const result = fs.readFileSync(r.resultFile, 'utf8');
    expect(result).toContain('[stopped: reached --max-turns 3 before a final answer]');
    expect(r.events.filter((e) => e.type === 'step')).toHaveLength(2);
  });

  it('stops when the token budget is used up and says so in the result', async () => {
    const r = await run(
      () => ({ text: 'Looking.', toolUse: { name: 'list_dir', input: {} }, usage: { input_tokens: 400, output_tokens: 100 } }),
      ['--token-budget', '1200'],
    );
    expect(r.code).toBe(0);
    expect(r.api.requests).toHaveLength(3); // 500, 1000, 1500 ≥ 1200
    expect(fs.readFileSync(r.resultFile, 'utf8')).toContain('[stopped: token budget exhausted: used 1500 of --token-budget 1200 tokens]');
    expect(r.events.filter((e) => e.type === 'usage').at(-1)).toMatchObject({ inputTokens: 1200, outputTokens: 300 });
  });

  it('sends --max-tokens and --system with each request', async () => {
    const r = await run([{ text: 'ok' }], ['--max-tokens', '321', '--system', 'Be brief.']);
    expect(r.api.requests[0]?.body).toMatchObject({ max_tokens: 321, system: 'Be brief.', stream: true });
  });

  it('the explorer script answers from the files it read', async () => {
    const r = await run(explorerScript);
    expect(r.code).toBe(0);
    const result = fs.readFileSync(r.resultFile, 'utf8');
    expect(result).toContain('README.md, src/');
    expect(result).toContain('README.md begins: # Demo repo / It authenticates users.');
    expect(r.events.filter((e) => e.type === 'step').map((e) => (e.type === 'step' ? e.step : ''))).toEqual(['List .', 'Read README.md']);
  });
});

describe('built-in agent, arguments and environment', () => {
  it('fails with exit 2 naming ANTHROPIC_API_KEY when no key is set', async () => {
    const stderr = captureSink();
    const events = path.join(dir, 'ev.jsonl');
    const code = await runAgent(['--prompt', 'x', '--cwd', work, '--events', events], { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' }, { stderr, stdout: captureSink() });
    expect(code).toBe(2);
    expect(stderr.text()).toContain('ANTHROPIC_API_KEY');
    expect(readEvents(events)).toEqual([expect.objectContaining({ type: 'error', retryable: false })]);
  });

  it('fails with exit 2 and the usage on a bad flag', async () => {
    const stderr = captureSink();
    const code = await runAgent(['--prompt', 'x', '--max-turns', 'many'], agentEnv('http://127.0.0.1:9'), { stderr, stdout: captureSink() });
    expect(code).toBe(2);
    expect(stderr.text()).toContain('--max-turns needs an integer ≥ 1, got "many"');
    expect(stderr.text()).toContain('usage: panecrew agent');
  });

  it('reads the prompt from --prompt-file and the files from PANECREW_* env', async () => {
    api = await startMockApi([{ text: 'from env' }]);
    fs.writeFileSync(path.join(dir, 'prompt.txt'), 'Prompt from a file');
    const events = path.join(dir, 'env-events.jsonl');
    const result = path.join(dir, 'env-result.md');
    const code = await runAgent(
      ['--prompt-file', path.join(dir, 'prompt.txt'), '--cwd', work],
      agentEnv(api.url, { PANECREW_EVENTS_FILE: events, PANECREW_RESULT_FILE: result }),
      { stdout: captureSink(), stderr: captureSink() },
    );
    expect(code).toBe(0);
    expect(api.requests[0]?.messages[0]).toEqual({ role: 'user', content: 'Prompt from a file' });
    expect(fs.readFileSync(result, 'utf8')).toBe('from env\n');
    expect(readEvents(events).map((e) => e.type)).toEqual(['start', 'usage', 'result']);
  });

  it('uses no colour when stdout is not a TTY, and none with NO_COLOR on a TTY', async () => {
    api = await startMockApi([{ text: 'plain' }]);
    const tty = { ...captureSink(), isTTY: true as const };
    let out = '';
    tty.write = (c: string) => ((out += c), true);
    await runAgent(['--prompt', 'x', '--cwd', work], agentEnv(api.url, { NO_COLOR: '1' }), { stdout: tty, stderr: captureSink() });
    expect(out).not.toContain('\x1b[');
    out = '';
    const env = agentEnv(api.url);
    delete env.NO_COLOR;
    await runAgent(['--prompt', 'x', '--cwd', work], env, { stdout: tty, stderr: captureSink() });
    expect(out).toContain('\x1b[');
  });
});

describe('explorer script', () => {
  it('looks inside a folder when the top level has no file to read', async () => {
    fs.rmSync(path.join(work, 'README.md'));
    const r = await run(explorerScript);
    expect(r.events.filter((e) => e.type === 'step').map((e) => (e.type === 'step' ? e.step : ''))).toEqual([
      'List .',
      'List src',
      'Read src/auth.ts',
    ]);
    expect(fs.readFileSync(r.resultFile, 'utf8')).toContain('src/auth.ts begins: export const SECRET_MARKER = "blue-harbour-42";');
  });
});
