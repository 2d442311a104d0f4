// What a main agent gets from `task` and `background_list` on an ordinary day: where its task runs
// (once known, not a guess), and only its own session's tasks, briefly, with a limit.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControllerClient } from '../../src/controller/client.js';
import { startTestController, until, type TestController } from '../support/controller.js';
import { startMcp, taskIdOf, type McpSession } from './helpers.js';

let tc: TestController;
let mcp: McpSession;
let c: ControllerClient;
let project: string;
beforeAll(async () => {
  tc = await startTestController();
  project = join(tc.dir, 'project');
  mkdirSync(join(project, 'sub'), { recursive: true });
  // Outside tmux: the session is this folder.
  mcp = await startMcp(tc.env, { cwd: project });
  c = await tc.client();
});
afterAll(async () => {
  c?.close();
  await mcp?.close();
  await tc?.stop();
});

const entries = (text: string) => text.split('\n').filter((l) => /^ {2}bg_[0-9a-z]{8}: /.test(l));

describe('task says where the task runs', () => {
  it('a started task: headless, with its pid (not a guess made before it started)', async () => {
    const r = await mcp.call('task', { prompt: 'sleep 30', subagent_type: 'shell' });
    const id = taskIdOf(r.text);
    const t = await c.request({ op: 'get', taskId: id });
    expect(t.pid).not.toBeNull();
    expect(r.text).toContain(`runs in: a detached process without a pane (headless), pid ${t.pid}`);
    await c.request({ op: 'cancel', taskIds: [id] });
  });

  it('a queued task: why it waits, and where it will run', async () => {
    const first = taskIdOf((await mcp.call('task', { prompt: 'sleep 30', subagent_type: 'shell' })).text);
    const r = await mcp.call('task', { prompt: 'echo later', subagent_type: 'shell', after: [first] });
    expect(r.text).toContain(`state: pending — waiting for ${first}`);
    expect(r.text).toMatch(new RegExp(`runs in: not started yet \\(waiting for ${first}\\); then `));
    await c.request({ op: 'cancel', all: true });
  });
});

describe('background_list', () => {
  let mine: string[] = [];
  let others: string[] = [];
  beforeAll(async () => {
    await c.request({ op: 'cancel', all: true });
    await until(async () => (await c.request({ op: 'list', all: true })).every((t) => ['completed', 'error', 'cancelled', 'interrupt'].includes(t.state)), 'earlier tasks to end');
    await c.request({ op: 'prune', olderThanMs: 0 });
    mine = [];
    for (const cwd of ['.', 'sub', '.']) mine.push(taskIdOf((await mcp.call('task', { prompt: 'true', subagent_type: 'shell', cwd, title: `mine ${'x'.repeat(100)}` })).text));
    // Another project's tasks, and a task of a tmux pane: not this session's.
    others = [];
    for (let i = 0; i < 4; i++) others.push((await tc.launchFast(c, { prompt: 'true', title: 'theirs' })).id);
    others.push((await tc.launchFast(c, { prompt: 'true', cwd: project, origin: { tmuxSocket: '/tmp/tmux-x/default', tmuxPane: '%4' } })).id);
    for (const id of [...mine, ...others]) await tc.waitFinal(id);
  });

  it("lists only this session's tasks by default, and says how many others it left out", async () => {
    const r = await mcp.call('background_list');
    expect(r.isError).toBe(false);
    expect(entries(r.text).map((l) => l.slice(2, 13)).sort()).toEqual([...mine].sort());
    expect(r.text).toContain(`tasks launched outside tmux in ${project}:`);
    expect(r.text).toContain('5 recent tasks of other sessions not shown (all: true lists every task)');
  });

  it('keeps each entry to one short line', () => {
    return mcp.call('background_list').then((r) => {
      for (const line of entries(r.text)) {
        expect(line.length).toBeLessThan(120);
        expect(line).toMatch(/: completed \d[\d.]*[sm] ago — shell — mine x+…$/);
      }
    });
  });

  it('limit cuts the list and says how many more there are', async () => {
    const r = await mcp.call('background_list', { limit: 2 });
    expect(entries(r.text)).toHaveLength(2);
    expect(r.text).toContain('… 1 more (pass limit: 3 to see them)');
  });

  it('all: true lists every session’s tasks', async () => {
    const r = await mcp.call('background_list', { all: true });
    expect(entries(r.text).map((l) => l.slice(2, 13)).sort()).toEqual([...mine, ...others].sort());
    expect(r.text).not.toContain('other sessions not shown');
  });

  it('marks the endings it shows as told: no waiter, plugin or hook tells them again', async () => {
    const fresh: string[] = [];
    for (let i = 0; i < 3; i++) {
      fresh.push(taskIdOf((await mcp.call('task', { prompt: 'true', subagent_type: 'shell', title: `fresh ${i}` })).text));
      await tc.waitFinal(fresh.at(-1)!);
    }
    const r = await mcp.call('background_list', { limit: 2 });
    const shown = entries(r.text).map((l) => l.slice(2, 13));
    expect(shown).toEqual([fresh[2], fresh[1]]);
    // A main agent's claim for this (pane-less) session takes only the ending the list left out.
    const claim = await c.request({ op: 'claim', session: 'list-reader', pane: 'headless' });
    expect(claim.tasks.map((t) => t.id)).toEqual([fresh[0]]);
  });
});
