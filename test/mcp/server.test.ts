import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { CLI, until, type TestController } from '../support/controller.js';
import { cursorOf, startMcp, taskIdOf, useMcpSession, type McpSession } from './helpers.js';

const session = useMcpSession();
let tc: TestController;
let mcp: McpSession;
beforeAll(() => {
  tc = session.tc();
  mcp = session.mcp();
});

const get = async (id: string): Promise<ListedTask> => {
  const c = await tc.client();
  try {
    return await c.request({ op: 'get', taskId: id });
  } finally {
    c.close();
  }
};

describe('panecrew mcp', () => {
  it('offers the seven tools, each with a described input schema', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['background_cancel', 'background_list', 'background_output', 'background_send', 'plan', 'plan_status', 'task']);
    const task = tools.find((t) => t.name === 'task')!;
    expect(task.inputSchema.required).toEqual(['prompt']);
    expect(Object.keys(task.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['prompt', 'subagent_type', 'category', 'model', 'title', 'cwd', 'priority', 'after', 'run_in_background']),
    );
    const output = tools.find((t) => t.name === 'background_output')!;
    expect(output.inputSchema.required).toEqual(['task_id']);
    expect(Object.keys(output.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['task_id', 'block', 'timeout', 'since']));
    for (const t of tools) expect(t.description!.length).toBeGreaterThan(60);
  });

  it('task launches in the background at once; a blocking background_output returns the result', async () => {
    const launched = await mcp.call('task', { prompt: 'echo hi', subagent_type: 'shell' });
    expect(launched.isError).toBe(false);
    const id = taskIdOf(launched.text);
    expect(launched.text).toContain('runs in: ');
    expect((await get(id)).agent).toBe('shell');

    const out = await mcp.call('background_output', { task_id: id, block: true, timeout: 30_000 });
    expect(out.isError).toBe(false);
    expect(out.text).toContain(`task ${id}: completed`);
    expect(out.text).toMatch(/--- result ---\nhi/);
    // Re-readable: a second read gives the same result.
    expect((await mcp.call('background_output', { task_id: id })).text).toMatch(/--- result ---\nhi/);
    expect((await get(id)).collectedAt).not.toBeNull();
  });

  it('since returns only the output written after the cursor', async () => {
    const fifo = join(tc.dir, 'go.fifo');
    execFileSync('mkfifo', [fifo]);
    const id = taskIdOf((await mcp.call('task', { prompt: `echo first; read line < ${fifo}; echo "second $line"`, subagent_type: 'shell' })).text);
    const firstPart = await until(async () => {
      const r = await mcp.call('background_output', { task_id: id, since: 0 });
      return /--- output since byte 0 ---\nfirst\n/.test(r.text) ? r.text : null;
    }, 'the first line of output');
    expect(firstPart).toContain(`task ${id}: running`);
    const cursor = cursorOf(firstPart);
    expect(cursor).toBe('first\n'.length);
    expect((await mcp.call('background_output', { task_id: id, since: cursor })).text).toContain('(nothing new)');

    writeFileSync(fifo, 'go\n');
    const rest = await mcp.call('background_output', { task_id: id, since: cursor, block: true, timeout: 30_000 });
    expect(rest.text).toContain('completed');
    expect(rest.text).toMatch(/--- output since byte 6 ---\nsecond go\n/);
    expect(rest.text).not.toMatch(/--- output since[^\n]*\n[^-]*first/);
    expect(cursorOf(rest.text)).toBe('first\nsecond go\n'.length);
  });

  it('run_in_background: false waits and returns the result directly', async () => {
    const r = await mcp.call('task', { prompt: 'echo foreground-result', subagent_type: 'shell', run_in_background: false, title: 'fg' });
    expect(r.isError).toBe(false);
    expect(r.text).toMatch(/task bg_[0-9a-z]{8}: completed/);
    expect(r.text).toMatch(/--- result ---\nforeground-result/);
  });

  it('background_cancel stops a running task; background_list shows states, keys and slots', async () => {
    const id = taskIdOf((await mcp.call('task', { prompt: 'sleep 30', subagent_type: 'shell', title: 'long sleeper' })).text);
    await until(async () => (await get(id)).state === 'running', 'the sleeper to start');
    const list = await mcp.call('background_list');
    expect(list.text).toMatch(new RegExp(`${id}: running for [^\\n]*— shell — long sleeper`));
    expect(list.text).toMatch(/slots:\n {2}local\/shell: \d+\/\d+ slots in use/);

    const cancelled = await mcp.call('background_cancel', { task_id: id });
    expect(cancelled.isError).toBe(false);
    expect(cancelled.text).toContain(`${id}: cancelled`);
    expect((await get(id)).state).toBe('cancelled');
    expect((await mcp.call('background_cancel', { task_id: id })).text).toContain('already ended: cancelled');
  });

  it('a pending task says why it waits', async () => {
    const first = taskIdOf((await mcp.call('task', { prompt: 'sleep 30', subagent_type: 'shell' })).text);
    const second = taskIdOf((await mcp.call('task', { prompt: 'echo after', subagent_type: 'shell', after: [first] })).text);
    const out = await mcp.call('background_output', { task_id: second });
    expect(out.text).toContain(`task ${second}: pending — waiting for ${first}`);
    const cancelled = await mcp.call('background_cancel', { all: true });
    expect(cancelled.text).toContain(`${first}: cancelled`);
    expect(cancelled.text).toContain(`${second}: cancelled`);
  });

  it('bad arguments and unknown ids are tool errors, and the server keeps serving', async () => {
    const missing = await mcp.call('task', { subagent_type: 'shell' });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/prompt/);

    const badId = await mcp.call('background_output', { task_id: 'nope' });
    expect(badId.isError).toBe(true);
    expect(badId.text).toContain('a task id looks like bg_');

    const unknown = await mcp.call('background_output', { task_id: 'bg_zzzzzzzz' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain('no task bg_zzzzzzzz');
    expect(unknown.text).toContain('background_list');

    const badAgent = await mcp.call('task', { prompt: 'x', subagent_type: 'explorer' });
    expect(badAgent.isError).toBe(true);
    expect(badAgent.text).toContain('did you mean "explore"');

    const badCwd = await mcp.call('task', { prompt: 'x', subagent_type: 'shell', cwd: 'no/such/dir' });
    expect(badCwd.isError).toBe(true);
    expect(badCwd.text).toContain('is not an existing directory');

    expect((await mcp.call('background_cancel', {})).isError).toBe(true);
    expect((await mcp.call('background_list')).isError).toBe(false);
  });
});

describe('panecrew mcp when its client leaves', () => {
  it('exits while a blocking background_output waits, and leaves the task unread', async () => {
    // A bare JSON-RPC client on stdio, not the SDK's: its close() kills the server after 2 s, which
    // would hide a server that stays alive on its own.
    const child = spawn(process.execPath, [CLI, 'mcp'], { env: tc.env, cwd: tc.dir, stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const replies = new Map<number, (r: { result?: { content: Array<{ text?: string }> } }) => void>();
    let buffered = '';
    let progressed: () => void = () => {};
    const firstProgress = new Promise<void>((resolve) => (progressed = resolve));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const msg = JSON.parse(buffered.slice(0, nl)) as { id?: number; method?: string; result?: { content: Array<{ text?: string }> } };
        buffered = buffered.slice(nl + 1);
        if (msg.id !== undefined) replies.get(msg.id)?.(msg);
        else if (msg.method === 'notifications/progress') progressed();
      }
    });
    child.stderr.resume();
    let nextId = 1;
    const send = (msg: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...msg })}\n`);
    const request = (method: string, params: object) => {
      const id = nextId++;
      const reply = new Promise<{ result?: { content: Array<{ text?: string }> } }>((resolve) => replies.set(id, resolve));
      send({ id, method, params });
      return reply;
    };
    let id: string | undefined;
    try {
      await request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bare', version: '0' } });
      send({ method: 'notifications/initialized' });
      // A new line every 0.2 s: each is a change of the task, so a wait on it reports progress.
      const prompt = 'i=0; while [ $i -lt 150 ]; do i=$((i+1)); echo "tick $i"; sleep 0.2; done';
      const launched = await request('tools/call', { name: 'task', arguments: { prompt, subagent_type: 'shell', title: 'outlives its client' } });
      id = taskIdOf(launched.result!.content.map((c) => c.text ?? '').join('\n'));
      await until(async () => (await get(id!)).state === 'running', 'the sleeper to start');

      void request('tools/call', { name: 'background_output', arguments: { task_id: id, block: true, timeout: 120_000 }, _meta: { progressToken: 'p1' } });
      // The wait is under way once a change of the task reaches it as a progress notification.
      await firstProgress;
      expect(child.exitCode).toBeNull();
      child.stdin.end(); // the client leaves

      const deadline = new Promise<'still running'>((r) => setTimeout(() => r('still running'), 15_000));
      expect(await Promise.race([exited, deadline])).toEqual({ code: 0, signal: null });

      const after = await get(id);
      expect(after.state).toBe('running');
      expect(after.collectedAt).toBeNull();
      const c = await tc.client();
      try {
        await c.request({ op: 'cancel', taskIds: [id] });
        await tc.waitFinal(id);
        const unread = await c.request({ op: 'uncollected', mark: false });
        expect(unread.map((t) => t.id)).toContain(id);
      } finally {
        c.close();
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});

describe('panecrew mcp without a controller', () => {
  it('reports the controller as unavailable (with --no-autostart) and keeps serving', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'panecrew-mcp-down-'));
    const session = await startMcp({ ...tc.env, PANECREW_HOME: join(dir, 'home') }, { args: ['--no-autostart'] });
    try {
      for (let i = 0; i < 2; i++) {
        const r = await session.call('background_list');
        expect(r.isError).toBe(true);
        expect(r.text).toContain('the panecrew controller is not available');
      }
      expect((await session.client.listTools()).tools).toHaveLength(7);
    } finally {
      await session.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
