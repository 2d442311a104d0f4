// The keyed queue end to end: real controller, real runner processes, events over the real socket.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ListedTask, ServerEvent } from '../../src/controller/protocol.js';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';

let tc: TestController | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

/** Records, from the event stream, the order tasks started and the most running at once per key. */
async function observe(t: TestController) {
  const c = await t.client();
  const running = new Map<string, Set<string>>();
  const maxRunning = new Map<string, number>();
  const started: string[] = [];
  const final = new Map<string, ListedTask>();
  await c.subscribe((e: ServerEvent) => {
    if (e.event !== 'task') return;
    const task = e.task;
    const set = running.get(task.key) ?? new Set<string>();
    running.set(task.key, set);
    if (task.state === 'running' && !set.has(task.id)) {
      set.add(task.id);
      started.push(task.id);
      maxRunning.set(task.key, Math.max(maxRunning.get(task.key) ?? 0, set.size));
    } else if (task.state !== 'running') set.delete(task.id);
    if (['completed', 'error', 'cancelled', 'interrupt'].includes(task.state)) final.set(task.id, task);
  });
  return { client: c, started, maxRunning, final };
}

describe('keyed queue', () => {
  it('never runs more than a key’s limit, and starts tasks of a key in FIFO order', async () => {
    tc = await startTestController(testConfig({ background_task: { modelConcurrency: { 'local/shell': 2 } } }));
    const o = await observe(tc);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await tc.launchFast(o.client, { prompt: 'sleep 0.3' })).id);
    await until(() => o.final.size === 6, 'six tasks to end', 30_000);
    o.client.close();
    expect(o.maxRunning.get('local/shell')).toBe(2);
    expect(o.started).toEqual(ids);
    expect([...o.final.values()].every((t) => t.state === 'completed')).toBe(true);
  });

  it('a blocked key never holds back another key', async () => {
    tc = await startTestController(testConfig({ background_task: { modelConcurrency: { 'slow/a': 1 } } }));
    const blocker = await tc.launch(['--agent', 'shell', '--key', 'slow/a', '--prompt', 'sleep 30']);
    const queued = await tc.launch(['--agent', 'shell', '--key', 'slow/a', '--prompt', 'true']);
    const other = await tc.launch(['--agent', 'shell', '--key', 'fast/b', '--prompt', 'echo other']);
    expect((await tc.waitFinal(other.id)).state).toBe('completed');
    const c = await tc.client();
    const [b, q] = await Promise.all([c.request({ op: 'get', taskId: blocker.id }), c.request({ op: 'get', taskId: queued.id })]);
    c.close();
    expect(b.state).toBe('running');
    expect(q.state).toBe('pending');
    expect(q.waiting).toContain('slow/a 1/1');
  });

  it('a provider limit holds across all of that provider’s keys', async () => {
    tc = await startTestController(testConfig({ background_task: { providerConcurrency: { acme: 2 } } }));
    const o = await observe(tc);
    for (let i = 0; i < 5; i++) await tc.launchFast(o.client, { key: `acme/model-${i % 3}`, prompt: 'sleep 0.3' });
    await until(() => o.final.size === 5, 'five tasks to end', 30_000);
    o.client.close();
    // Keys differ, so the peak is across keys: replay the journal's transitions to find it.
    const journal = readFileSync(join(tc.home, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const live = new Set<string>();
    let peak = 0;
    for (const entry of journal) {
      if (entry.type !== 'updated' || !entry.patch.state) continue;
      if (entry.patch.state === 'running') live.add(entry.id);
      else live.delete(entry.id);
      peak = Math.max(peak, live.size);
    }
    expect(peak).toBe(2);
  });

  it('refuses an unknown dependency and a bad option at launch, and queues nothing', async () => {
    tc = await startTestController();
    const unknown = await tc.cli(['launch', '--agent', 'shell', '--after', 'bg_00000000', '--prompt', 'true']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown task id in --after: bg_00000000');
    const badAgent = await tc.cli(['launch', '--agent', 'shel', '--prompt', 'true']);
    expect(badAgent.exitCode).toBe(2);
    expect(badAgent.stderr).toContain('did you mean "shell"');
    const badPriority = await tc.cli(['launch', '--priority', '11', '--prompt', 'true']);
    expect(badPriority.exitCode).toBe(2);
    const ls = await tc.cli(['ls', '--all', '--json']);
    expect(JSON.parse(ls.stdout as string).tasks).toEqual([]);
  });
});

describe('dependencies', () => {
  it('a dependent starts after its dependency and gets its result', async () => {
    tc = await startTestController();
    const first = await tc.launch(['--agent', 'shell', '--prompt', 'echo first-result-42']);
    const second = await tc.launch([
      '--agent', 'shell', '--after', first.id, '--prompt',
      'echo "text=$PANECREW_DEP_1_RESULT"; echo "file=$(cat "$PANECREW_DEP_1_RESULT_FILE")"; echo "dep=$PANECREW_DEP_1_ID"',
    ]);
    const done = await tc.waitFinal(second.id);
    expect(done.state).toBe('completed');
    expect(done.startedAt!).toBeGreaterThanOrEqual((await tc.waitFinal(first.id)).endedAt!);
    const out = await tc.cli(['output', second.id]);
    expect(out.stdout).toContain('text=first-result-42');
    expect(out.stdout).toContain('file=first-result-42');
    expect(out.stdout).toContain(`dep=${first.id}`);
    const json = JSON.parse((await tc.cli(['output', second.id, '--json'])).stdout as string) as { result: string };
    expect(json.result).toContain('text=first-result-42');
  });

  it('a failed dependency cancels its dependents, naming it, down the chain', async () => {
    tc = await startTestController();
    const bad = await tc.launch(['--agent', 'shell', '--prompt', 'exit 3']);
    const mid = await tc.launch(['--agent', 'shell', '--after', bad.id, '--prompt', 'true']);
    const last = await tc.launch(['--agent', 'shell', '--after', mid.id, '--prompt', 'true']);
    expect((await tc.waitFinal(bad.id)).state).toBe('error');
    const m = await tc.waitFinal(mid.id);
    expect(m.state).toBe('cancelled');
    expect(m.reason).toContain(bad.id);
    const l = await tc.waitFinal(last.id);
    expect(l.state).toBe('cancelled');
    expect(l.reason).toContain(mid.id);
  });
});

describe('wait', () => {
  it('exits 0 when all completed, 1 when any failed, 124 on timeout', async () => {
    tc = await startTestController();
    const ok = await tc.launch(['--agent', 'shell', '--prompt', 'true']);
    expect((await tc.cli(['wait', ok.id])).exitCode).toBe(0);
    const bad = await tc.launch(['--agent', 'shell', '--prompt', 'exit 1']);
    expect((await tc.cli(['wait', ok.id, bad.id])).exitCode).toBe(1);
    const slow = await tc.launch(['--agent', 'shell', '--prompt', 'sleep 30']);
    const timedOut = await tc.cli(['wait', slow.id, '--timeout', '200ms']);
    expect(timedOut.exitCode).toBe(124);
    expect((await tc.cli(['wait', 'bg_zzzzzzzz'])).exitCode).toBe(4);
  });
});

describe('resource gate', () => {
  it('holds every start while the machine is over a threshold, and says why', async () => {
    // Any machine uses more than 1% of its memory: the gate is closed for the whole test
    // (minRunning 0: by default the gate never holds the first task).
    tc = await startTestController(testConfig({ background_task: { resourceGate: { enabled: true, cpuPercent: 100, memoryPercent: 1, minRunning: 0 } } }));
    const t = await tc.launch(['--agent', 'shell', '--prompt', 'true']);
    const c = await tc.client();
    const waiting = await until(async () => {
      const got = await c.request({ op: 'get', taskId: t.id });
      return got.waiting?.startsWith('resource gate') ? got : null;
    }, 'the gate to be the reason');
    c.close();
    expect(waiting.state).toBe('pending');
    expect(waiting.waiting).toMatch(/memory \d+% > 1%/);
    const ls = await tc.cli(['ls']);
    expect(ls.stdout).toContain('gate closed');
  });
});
