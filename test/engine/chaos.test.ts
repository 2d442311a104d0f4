// Chaos: 40 tasks (dependencies, failures, rate-limit retries) under 10 random SIGKILLs of the
// controller, of runners and of agents. None is lost, none runs twice, every result is on disk.
// Each agent start appends its task id to starts.log, so "ran twice" is a count, not a guess.
// The seed is printed; CHAOS_SEED=<seed> replays the same plan.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { isFinal } from '../../src/core/task.js';
import { chaosSeed, killIfStill, median, seededRng, startCounts, type Rng } from '../support/chaos.js';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';

let tc: TestController | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

const TASKS = 40;
const KILLS = 10;
const RETRYABLE = 75;

const CONFIG = testConfig({
  background_task: { maxConcurrentTasks: 4, killGraceMs: '300ms', retry: { attempts: 3, backoffMs: '100ms', factor: 1 } },
  agents: { flaky: { command: ['bash', '-c', '{prompt}'], retry_exit_codes: [RETRYABLE], provider: 'local' } },
});

type Kind = 'ok' | 'fail' | 'flaky';
interface Planned {
  id: string;
  kind: Kind;
  /** flaky: how many starts exit 75 before one succeeds */
  failures: number;
  after: string | null;
}
type Victim = 'controller' | 'runner' | 'agent';

/** What the agent does: count its start, leave its pid, work a little, then end as its kind says. */
function prompt(rng: Rng, kind: Kind, failures: number): string {
  const count = 'echo "$PANECREW_TASK_ID" >> starts.log; echo $$ > "pids/$PANECREW_TASK_ID"';
  const work = `sleep 0.${rng.int(3, 9)}${rng.int(0, 9)}`;
  const result = 'echo "result-$PANECREW_TASK_ID"';
  if (kind === 'fail') return `${count}; ${work}; echo failing; exit 3`;
  if (kind === 'flaky') return `${count}; ${work}; [ "$(grep -cx "$PANECREW_TASK_ID" starts.log)" -gt ${failures} ] || exit ${RETRYABLE}; ${result}`;
  return `${count}; ${work}; ${result}`;
}

async function list(t: TestController): Promise<ListedTask[]> {
  const c = await t.client();
  try {
    return await c.request({ op: 'list', all: true });
  } finally {
    c.close();
  }
}

describe('chaos', () => {
  it('40 tasks under 10 random SIGKILLs of the controller, runners and agents: none lost, none run twice', async () => {
    const rng = seededRng(chaosSeed());
    console.log(`chaos seed ${rng.seed} (CHAOS_SEED=${rng.seed} replays it)`);
    const t0 = Date.now();
    tc = await startTestController(CONFIG);
    const ctl = tc;
    const starts = join(ctl.dir, 'starts.log');
    const pids = join(ctl.dir, 'pids');
    writeFileSync(starts, '');
    mkdirSync(pids);

    const planned: Planned[] = [];
    const client = await ctl.client();
    for (let i = 0; i < TASKS; i++) {
      const roll = rng.next();
      const kind: Kind = roll < 0.2 ? 'fail' : roll < 0.45 ? 'flaky' : 'ok';
      const failures = kind === 'flaky' ? rng.int(1, 2) : 0;
      const after = i >= 4 && rng.next() < 0.3 ? planned[rng.int(0, i - 1)]!.id : null;
      const spec = { cwd: ctl.dir, agent: kind === 'flaky' ? 'flaky' : 'shell', prompt: prompt(rng, kind, failures), after: after ? [after] : [] };
      planned.push({ id: (await ctl.launchFast(client, spec)).id, kind, failures, after });
    }
    client.close();

    // The kills, at random moments while the tasks run. Runners and agents are only killed once
    // their current attempt's agent has counted its start, so every attempt leaves exactly one line.
    const killed = new Map<string, Victim>();
    const restarts: number[] = [];
    let kills = 0;
    while (kills < KILLS) {
      await new Promise((r) => setTimeout(r, rng.int(150, 700))); // pacing of the chaos, not a synchronisation
      let victim: Victim = rng.pick(['controller', 'runner', 'agent'] as const);
      const counts = startCounts(starts);
      const candidates = victim === 'controller' ? [] : (await list(ctl)).filter((t) => t.state === 'running' && counts.get(t.id) === t.attempts.length);
      const target = candidates.length ? rng.pick(candidates) : undefined;
      if (!target) victim = 'controller';
      if (victim === 'controller') {
        await ctl.kill('SIGKILL');
        await new Promise((r) => setTimeout(r, rng.int(0, 400))); // runners end while it is down
        const begun = Date.now();
        await ctl.start();
        await list(ctl);
        restarts.push(Date.now() - begun);
      } else {
        const dir = join(ctl.home, 'tasks', target!.id);
        const hit =
          victim === 'runner'
            ? existsSync(join(dir, 'started.json')) && killIfStill((JSON.parse(readFileSync(join(dir, 'started.json'), 'utf8')) as { pid: number }).pid, dir)
            : existsSync(join(pids, target!.id)) && killIfStill(Number(readFileSync(join(pids, target!.id), 'utf8')), `PANECREW_TASK_ID=${target!.id}`, 'environ');
        if (!hit) continue; // it ended just now: try another moment
        killed.set(target!.id, victim);
      }
      kills++;
    }

    const final = await until(async () => {
      const all = await list(ctl);
      return all.length === TASKS && all.every((t) => isFinal(t.state)) ? all : null;
    }, 'every task to reach a final state', 60_000, 100);
    const byId = new Map(final.map((t) => [t.id, t]));
    const counts = startCounts(starts);

    const problems: string[] = [];
    const expectThat = (ok: boolean, what: string) => void (ok || problems.push(what));
    for (const p of planned) {
      const t = byId.get(p.id)!;
      const desc = `${p.id} (${p.kind}${p.after ? ` after ${p.after}` : ''}${killed.has(p.id) ? `, ${killed.get(p.id)} killed` : ''}): ${t.state} ${JSON.stringify(t.cause)}`;
      expectThat(t.cause !== null, `${desc}: no cause`);
      expectThat((counts.get(p.id) ?? 0) === t.attempts.length, `${desc}: started ${counts.get(p.id) ?? 0} times, ${t.attempts.length} attempts recorded`);
      const dep = p.after ? byId.get(p.after)! : undefined;
      if (dep && dep.state !== 'completed') {
        expectThat(t.state === 'cancelled' && t.cause?.kind === 'dependency' && t.cause.on === dep.id, `${desc}: its dependency ended ${dep.state}`);
        continue;
      }
      const kinds = t.attempts.map((a) => a.cause?.kind);
      const brokenByUs = ['signal', 'vanished', 'lost'].includes(t.cause?.kind ?? '');
      // A kill can miss (the task ended just before it), but a task nobody killed ends as planned.
      expectThat(!brokenByUs || (killed.has(p.id) && t.state === 'error'), `${desc}: broken, but not killed by the test`);
      if (brokenByUs) continue;
      if (p.kind === 'fail') expectThat(t.state === 'error' && t.cause?.kind === 'exit' && t.cause.code === 3, `${desc}: expected exit 3`);
      else expectThat(t.state === 'completed', `${desc}: expected completed`);
      if (p.kind === 'flaky') expectThat(kinds.length === p.failures + 1 && kinds.slice(0, -1).every((k) => k === 'retry'), `${desc}: expected ${p.failures} retries, got ${kinds.join(',')}`);
      if (t.state === 'completed') {
        const result = join(ctl.home, 'tasks', p.id, 'result.md');
        expectThat(existsSync(result) && readFileSync(result, 'utf8').includes(`result-${p.id}`), `${desc}: no result on disk`);
      }
    }
    const duplicated = planned.filter((p) => (counts.get(p.id) ?? 0) > byId.get(p.id)!.attempts.length).length;
    console.log(
      `chaos seed ${rng.seed}: ${TASKS} tasks, ${kills} kills (${restarts.length} controller, ` +
        `${[...killed.values()].filter((v) => v === 'runner').length} runner, ${[...killed.values()].filter((v) => v === 'agent').length} agent), ` +
        `lost 0, duplicated ${duplicated}, restart median ${median(restarts)}ms [${restarts.join(', ')}], run ${Date.now() - t0}ms`,
    );
    expect(problems).toEqual([]);
  }, 120_000);
});
