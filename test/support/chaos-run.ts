// One chaos run against a test controller: a seeded plan of tasks (dependencies, failures, rate-limit
// retries), the kills, and the check that nothing was lost or run twice. Each agent start appends its
// task id to starts.log, so "ran twice" is a count, not a guess.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LaunchSpec, ListedTask } from '../../src/controller/protocol.js';
import { isFinal } from '../../src/core/task.js';
import { killIfStill, startCounts, type Rng } from './chaos.js';
import { until, type TestController } from './controller.js';

const RETRYABLE = 75;

/** Config for a chaos run: 4 tasks at once, fast retries, and `flaky`, whose exit 75 is retried. */
export const chaosConfig = {
  background_task: { maxConcurrentTasks: 4, killGraceMs: '300ms', retry: { attempts: 3, backoffMs: '100ms', factor: 1 } },
  agents: { flaky: { command: ['bash', '-c', '{prompt}'], retry_exit_codes: [RETRYABLE], provider: 'local' } },
};

type Kind = 'ok' | 'fail' | 'flaky';
export interface Planned {
  id: string;
  kind: Kind;
  /** flaky: how many starts exit 75 before one succeeds */
  failures: number;
  after: string | null;
}
export type Victim = 'controller' | 'runner' | 'agent';

/** What the agent does: count its start, leave its pid, work a little, then end as its kind says. */
function prompt(rng: Rng, kind: Kind, failures: number): string {
  const count = 'echo "$PANECREW_TASK_ID" >> starts.log; echo $$ > "pids/$PANECREW_TASK_ID"';
  const work = `sleep 0.${rng.int(3, 9)}${rng.int(0, 9)}`;
  const result = 'echo "result-$PANECREW_TASK_ID"';
  if (kind === 'fail') return `${count}; ${work}; echo failing; exit 3`;
  if (kind === 'flaky') return `${count}; ${work}; [ "$(grep -cx "$PANECREW_TASK_ID" starts.log)" -gt ${failures} ] || exit ${RETRYABLE}; ${result}`;
  return `${count}; ${work}; ${result}`;
}

export async function listAll(tc: TestController): Promise<ListedTask[]> {
  const c = await tc.client();
  try {
    return await c.request({ op: 'list', all: true });
  } finally {
    c.close();
  }
}

export class ChaosRun {
  readonly planned: Planned[] = [];
  /** Tasks whose runner or agent the test killed. */
  readonly killed = new Map<string, Victim>();
  /** Milliseconds from starting the controller again to its first answered request. */
  readonly restarts: number[] = [];
  readonly starts: string;
  private readonly pids: string;

  constructor(
    private readonly tc: TestController,
    private readonly rng: Rng,
  ) {
    this.starts = join(tc.dir, 'starts.log');
    this.pids = join(tc.dir, 'pids');
    writeFileSync(this.starts, '');
    mkdirSync(this.pids);
  }

  /** Launches `n` tasks, about a third after an earlier one. */
  async launch(n: number, extra: Partial<LaunchSpec> = {}): Promise<void> {
    const client = await this.tc.client();
    try {
      for (let i = 0; i < n; i++) {
        const roll = this.rng.next();
        const kind: Kind = roll < 0.2 ? 'fail' : roll < 0.45 ? 'flaky' : 'ok';
        const failures = kind === 'flaky' ? this.rng.int(1, 2) : 0;
        const after = i >= 4 && this.rng.next() < 0.3 ? this.planned[this.rng.int(0, i - 1)]!.id : null;
        const spec = { ...extra, cwd: this.tc.dir, agent: kind === 'flaky' ? 'flaky' : 'shell', prompt: prompt(this.rng, kind, failures), after: after ? [after] : [] };
        this.planned.push({ id: (await this.tc.launchFast(client, spec)).id, kind, failures, after });
      }
    } finally {
      client.close();
    }
  }

  /** SIGKILL, a pause while runners go on without it, start again, and time the first answer. */
  async killController(): Promise<void> {
    await this.tc.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, this.rng.int(0, 400))); // tasks end while it is down
    const begun = Date.now();
    await this.tc.start();
    await listAll(this.tc);
    this.restarts.push(Date.now() - begun);
  }

  /** Running tasks whose current attempt's agent has counted its start. */
  async agentsRunning(): Promise<ListedTask[]> {
    const counts = startCounts(this.starts);
    return (await listAll(this.tc)).filter((t) => t.state === 'running' && counts.get(t.id) === t.attempts.length);
  }

  /** Waits (up to `ms`) for an agent to run: a controller just restarted takes a moment to start tasks. */
  async waitForAgent(ms: number): Promise<boolean> {
    return until(async () => (await this.agentsRunning()).length > 0, 'an agent to run', ms).then(
      () => true,
      () => false,
    );
  }

  /**
   * SIGKILLs the runner or the agent of a random running task whose current attempt's agent has
   * counted its start (so every attempt leaves exactly one line). False when there was none to kill.
   */
  async killTask(victim: 'runner' | 'agent'): Promise<boolean> {
    const running = await this.agentsRunning();
    if (!running.length) return false;
    const { id } = this.rng.pick(running);
    const dir = join(this.tc.home, 'tasks', id);
    // started.json is {"pid":…}, the agent's pid file just the number: the first number is the pid.
    const pidOf = (file: string) => Number((existsSync(file) && /\d+/.exec(readFileSync(file, 'utf8'))?.[0]) || NaN);
    const hit =
      victim === 'runner'
        ? killIfStill(pidOf(join(dir, 'started.json')), dir)
        : killIfStill(pidOf(join(this.pids, id)), `PANECREW_TASK_ID=${id}`, 'environ');
    if (hit) this.killed.set(id, victim);
    return hit;
  }

  /** One kill of a random kind; a task's runner or agent when one can be hit, else the controller. */
  async killRandom(): Promise<Victim> {
    const first = this.rng.pick(['controller', 'runner', 'agent'] as const);
    if (first !== 'controller') {
      for (const victim of first === 'runner' ? (['runner', 'agent'] as const) : (['agent', 'runner'] as const)) {
        if (await this.killTask(victim)) return victim;
      }
    }
    await this.killController();
    return 'controller';
  }

  async allFinal(timeoutMs = 60_000): Promise<ListedTask[]> {
    return until(async () => {
      const all = await listAll(this.tc);
      return all.length === this.planned.length && all.every((t) => isFinal(t.state)) ? all : null;
    }, 'every task to reach a final state', timeoutMs, 100);
  }

  /**
   * Everything that went wrong, one line per task. `brokenElsewhere(task)`: the task may also have
   * been ended by something the run did besides killing it (its tmux server killed).
   */
  check(final: ListedTask[], brokenElsewhere: (t: ListedTask) => boolean = () => false): string[] {
    const byId = new Map(final.map((t) => [t.id, t]));
    const counts = startCounts(this.starts);
    const problems: string[] = [];
    const expectThat = (ok: boolean, what: string) => void (ok || problems.push(what));
    for (const p of this.planned) {
      const t = byId.get(p.id)!;
      const victim = this.killed.get(p.id);
      const desc = `${p.id} (${p.kind}${p.after ? ` after ${p.after}` : ''}${victim ? `, ${victim} killed` : ''}): ${t.state} ${JSON.stringify(t.cause)}`;
      const started = counts.get(p.id) ?? 0;
      // Attempts whose runner the surface could not even host never reach the agent.
      const hosted = t.attempts.filter((a) => a.cause?.kind !== 'start-failed' && a.cause?.kind !== 'prepare-failed').length;
      const elsewhere = brokenElsewhere(t);
      expectThat(t.cause !== null, `${desc}: no cause`);
      expectThat(elsewhere ? started <= hosted : started === hosted, `${desc}: the agent started ${started} times, ${hosted} attempts ran`);
      const dep = p.after ? byId.get(p.after)! : undefined;
      if (dep && dep.state !== 'completed') {
        expectThat(t.state === 'cancelled' && t.cause?.kind === 'dependency' && t.cause.on === dep.id, `${desc}: its dependency ended ${dep.state}`);
        continue;
      }
      const kind = t.cause?.kind;
      if (victim === 'runner' && (kind === 'vanished' || kind === 'lost')) continue;
      if (victim === 'agent' && kind === 'signal' && t.cause?.kind === 'signal' && t.cause.signal === 'KILL') continue;
      if (elsewhere && t.state === 'error' && kind !== 'exit') continue;
      // A kill can miss (the task ended just before it), but a task nobody broke ends as planned.
      if (p.kind === 'fail') expectThat(t.state === 'error' && kind === 'exit' && t.cause?.kind === 'exit' && t.cause.code === 3, `${desc}: expected exit 3`);
      else expectThat(t.state === 'completed', `${desc}: expected completed`);
      const causes = t.attempts.map((a) => a.cause?.kind);
      if (p.kind === 'flaky' && t.state === 'completed') {
        expectThat(causes.length === p.failures + 1 && causes.slice(0, -1).every((k) => k === 'retry'), `${desc}: expected ${p.failures} retries, got ${causes.join(',')}`);
      }
      if (t.state === 'completed') {
        const result = join(this.tc.home, 'tasks', p.id, 'result.md');
        expectThat(existsSync(result) && readFileSync(result, 'utf8').includes(`result-${p.id}`), `${desc}: no result on disk`);
      }
    }
    return problems;
  }

  /** How many tasks' agents started more often than their attempts. */
  duplicated(final: ListedTask[]): number {
    const counts = startCounts(this.starts);
    return final.filter((t) => (counts.get(t.id) ?? 0) > t.attempts.length).length;
  }

  summary(): string {
    const of = (v: Victim) => [...this.killed.values()].filter((x) => x === v).length;
    return `${this.restarts.length} controller, ${of('runner')} runner, ${of('agent')} agent kills`;
  }
}
