// The controller can die at any moment (SIGKILL) and start again: no task lost, none run twice.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { isFinal } from '../../src/core/task.js';
import { processAlive } from '../../src/runner/kill.js';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';

let tc: TestController | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

async function list(t: TestController): Promise<ListedTask[]> {
  const c = await t.client();
  try {
    return await c.request({ op: 'list', all: true });
  } finally {
    c.close();
  }
}

describe('durability', () => {
  it('a SIGKILLed controller loses no task, runs none twice, and keeps every result', async () => {
    tc = await startTestController(testConfig({ background_task: { modelConcurrency: { 'local/shell': 3 } } }));
    const runs = join(tc.dir, 'runs.log');
    writeFileSync(runs, '');
    const c = await tc.client();
    const ids: string[] = [];
    // Each task appends its id once when it starts; some are still queued or running at the kill.
    for (let i = 0; i < 8; i++) {
      const t = await tc.launchFast(c, { cwd: tc.dir, prompt: `echo "$PANECREW_TASK_ID" >> runs.log; sleep 0.${3 + i}; echo result-$PANECREW_TASK_ID` });
      ids.push(t.id);
    }
    c.close();
    await until(() => readFileSync(runs, 'utf8').trim().split('\n').filter(Boolean).length >= 3, 'three tasks to start');
    await tc.kill('SIGKILL');
    await tc.start();
    const tasks = await until(async () => {
      const all = await list(tc!);
      return all.length === 8 && all.every((t) => isFinal(t.state)) ? all : null;
    }, 'every task to end after the restart', 30_000);
    expect(tasks.map((t) => t.state)).toEqual(Array(8).fill('completed'));
    const started = readFileSync(runs, 'utf8').trim().split('\n');
    expect([...started].sort()).toEqual([...ids].sort());
    for (const id of ids) expect(readFileSync(join(tc.home, 'tasks', id, 'result.md'), 'utf8')).toContain(`result-${id}`);
  });

  it('a task that ends while the controller is down is found ended on the next start', async () => {
    tc = await startTestController();
    const gate = join(tc.dir, 'go');
    const t = await tc.launch(['--agent', 'shell', '--cwd', tc.dir, '--prompt', 'while [ ! -e go ]; do sleep 0.05; done; echo finished-while-down']);
    await until(async () => (await list(tc!)).find((x) => x.id === t.id)?.state === 'running', 'the task to run');
    await tc.kill('SIGKILL');
    writeFileSync(gate, '');
    await until(() => existsSync(join(tc!.home, 'tasks', t.id, 'exit.json')), 'the task to finish without a controller');
    await tc.start();
    const done = await tc.waitFinal(t.id);
    expect(done.state).toBe('completed');
    expect(done.resultPreview).toContain('finished-while-down');
  });

  it('a runner that died while the controller was down: the task errors and what its agent left running is killed', async () => {
    tc = await startTestController();
    const t = await tc.launch(['--agent', 'shell', '--cwd', tc.dir, '--prompt', 'echo $$ > agent.pid; exec sleep 60']);
    const agentPid = Number(await until(() => existsSync(join(tc!.dir, 'agent.pid')) && readFileSync(join(tc!.dir, 'agent.pid'), 'utf8').trim(), 'the agent to start'));
    const runnerPid = (JSON.parse(readFileSync(join(tc.home, 'tasks', t.id, 'started.json'), 'utf8')) as { pid: number }).pid;
    await tc.kill('SIGKILL');
    process.kill(runnerPid, 'SIGKILL'); // the runner alone: its agent lives on in its process group
    await until(() => !processAlive(runnerPid), 'the runner to die');
    expect(processAlive(agentPid)).toBe(true);
    await tc.start();
    const ended = await tc.waitFinal(t.id);
    expect(ended.state).toBe('error');
    expect(ended.cause).toEqual({ kind: 'lost', pid: runnerPid, killedGroup: true });
    await until(() => !processAlive(agentPid), 'the orphaned agent to be killed');
  });

  it('a torn last journal line is ignored, not fatal', async () => {
    tc = await startTestController();
    const t = await tc.launch(['--agent', 'shell', '--prompt', 'echo kept']);
    await tc.waitFinal(t.id);
    await tc.kill('SIGKILL');
    appendFileSync(join(tc.home, 'journal.jsonl'), '{"seq":999,"at":1,"type":"upd');
    await tc.start();
    const tasks = await list(tc);
    expect(tasks.map((x) => [x.id, x.state])).toEqual([[t.id, 'completed']]);
  });

  it('damaged journal lines are set aside: the controller starts with every good task, and doctor says what it found', async () => {
    tc = await startTestController();
    const t = await tc.launch(['--agent', 'shell', '--prompt', 'echo kept']);
    await tc.waitFinal(t.id);
    await tc.kill('SIGKILL');
    appendFileSync(join(tc.home, 'journal.jsonl'), 'null\n42\n{"seq":900,"at":1,"type":"created"}\n{"seq":901,"at":1,"type":"created","task":{"id":"bg_zzzzzzzz"}}\n');
    await tc.start();
    expect((await list(tc)).map((x) => [x.id, x.state])).toEqual([[t.id, 'completed']]);
    const after = await tc.launch(['--agent', 'shell', '--prompt', 'echo after']);
    expect((await tc.waitFinal(after.id)).state).toBe('completed');
    const doctor = await tc.cli(['doctor']);
    expect(doctor.exitCode).toBe(1);
    expect(doctor.stdout).toMatch(/✗ journal.*damaged when the controller started/);
    expect(doctor.stdout).toMatch(/bg_zzzzzzzz was set aside/);
  });

  it('a second controller for the same home refuses to start', async () => {
    tc = await startTestController();
    const r = await tc.cli(['controller', 'run']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('a controller is already running');
  });
});
