// Numbers for the dashboard: how fast a task event reaches the screen, and what the dashboard costs
// in CPU with 200 tasks, idle and while events flow. Printed, and held to loose bounds.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LaunchSpec, ListedTask } from '../../src/controller/protocol.js';
import type { ControllerClient } from '../../src/controller/client.js';
import { BASE_CONFIG, startTestController, type TestController } from '../support/controller.js';
import { openDashboard, type DashboardPane } from './harness.js';
import { median } from '../support/figures.js';

const CONFIG = BASE_CONFIG.replace('background_task:', 'background_task:\n  maxConcurrentTasks: 32\n  modelConcurrency: { local/shell: 4, local/fast: 8 }');

let tc: TestController;
let dash: DashboardPane;
let client: ControllerClient;

beforeAll(async () => {
  tc = await startTestController(CONFIG);
  dash = await openDashboard(tc, { width: 160, height: 40 });
  client = await tc.client();
});
afterAll(async () => {
  client?.close();
  await dash?.close();
  await tc?.stop();
});

const taskEnv = (): Record<string, string> => Object.fromEntries(Object.entries(tc.env).filter((e): e is [string, string] => typeof e[1] === 'string'));

function launch(prompt: string, over: Partial<LaunchSpec> = {}): Promise<ListedTask> {
  return client.request({ op: 'launch', spec: { prompt, agent: 'shell', cwd: tc.dir, env: taskEnv(), placement: 'headless', ...over } });
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // fields 14 and 15 of stat(5); USER_HZ is 100 on Linux
}

async function cpuOver(pid: number, ms: number, during?: () => Promise<unknown>): Promise<number> {
  const c0 = cpuSeconds(pid);
  const t0 = Date.now();
  const work = during?.();
  await new Promise((r) => setTimeout(r, ms));
  const pct = ((cpuSeconds(pid) - c0) / ((Date.now() - t0) / 1000)) * 100;
  await work;
  return pct;
}


describe('dashboard measurements', () => {
  test('a task event reaches the screen quickly (median of 10)', async () => {
    const samples: number[] = [];
    for (let i = 0; i < 10; i++) {
      const title = `latency-probe-${i}-${Date.now().toString(36)}`;
      const t0 = performance.now();
      await launch('sleep 30', { title });
      await dash.waitFor(title, title, 10_000);
      samples.push(performance.now() - t0);
    }
    const m = median(samples);
    console.log(`dashboard update latency: median ${m.toFixed(0)} ms, min ${Math.min(...samples).toFixed(0)}, max ${Math.max(...samples).toFixed(0)} ms (launch request → text on screen via capture-pane)`);
    expect(m).toBeLessThan(1000);
  });

  test('CPU with 200 tasks: idle, and while events flow', async () => {
    for (let i = 0; i < 190; i++) await launch('sleep 30', { title: `bulk ${i}` });
    await dash.waitFor((s) => /tasks 1-\d+ of 200/.test(s), '200 rows', 30_000);
    const pid = await dash.pid();
    // Let the burst's renders settle before measuring idle.
    await new Promise((r) => setTimeout(r, 1000));
    const idle = await cpuOver(pid, 10_000);
    let flowed = 0;
    const busy = await cpuOver(pid, 10_000, async () => {
      // Short tasks on a key of their own: each starts and ends, a steady stream of events.
      const deadline = Date.now() + 9_500;
      while (Date.now() < deadline) {
        await Promise.all(Array.from({ length: 8 }, () => launch('sleep 0.2', { key: 'local/fast', title: 'flow' })));
        flowed += 8;
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    console.log(`dashboard CPU with 200+ tasks: idle ${idle.toFixed(1)}%, while ${flowed} short tasks ran ${busy.toFixed(1)}%; RSS ${rss.toFixed(0)} MB`);
    expect(idle).toBeLessThan(10);
    expect(busy).toBeLessThan(60);
  }, 120_000);
});
