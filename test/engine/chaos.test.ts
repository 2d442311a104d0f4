// Chaos: tasks with dependencies, failures and rate-limit retries under random SIGKILLs of the
// controller, of runners, of agents and of the tmux server hosting their panes. None is lost (each
// ends with a cause), none runs twice (starts counted by a side effect), dependents of failed tasks
// are cancelled, results are on disk. The seed is printed; CHAOS_SEED=<seed> replays the plan.
import { afterEach, describe, expect, it } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { chaosSeed, median, seededRng, type Rng } from '../support/chaos.js';
import { ChaosRun, chaosConfig } from '../support/chaos-run.js';
import { startTestController, testConfig, type TestController } from '../support/controller.js';
import { paneEnv, startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';

let tc: TestController | undefined;
let tmux: TestTmuxServer | undefined;
afterEach(async () => {
  await tc?.stop();
  await tmux?.kill();
  tc = tmux = undefined;
});

/** The chaos's pace: a random moment, not a synchronisation. */
const pause = (rng: Rng, min: number, max: number) => new Promise((r) => setTimeout(r, rng.int(min, max)));

function report(name: string, run: ChaosRun, final: ListedTask[], startedAt: number): void {
  const r = run.restarts;
  console.log(`${name}: ${final.length} tasks, ${run.summary()}, lost 0, duplicated ${run.duplicated(final)}, restart median ${median(r)}ms [${r.join(', ')}], run ${Date.now() - startedAt}ms`);
}

describe('chaos', () => {
  it('40 tasks under 10 random SIGKILLs of the controller, runners and agents: none lost, none run twice', async () => {
    const rng = seededRng(chaosSeed());
    console.log(`headless chaos seed ${rng.seed} (CHAOS_SEED=${rng.seed} replays it)`);
    const startedAt = Date.now();
    tc = await startTestController(testConfig(chaosConfig));
    const run = new ChaosRun(tc, rng);
    await run.launch(40);
    for (let kills = 0; kills < 10; kills++) {
      await pause(rng, 150, 700);
      // Killing the controller again before it restarts any task would test nothing new.
      await run.waitForAgent(5_000);
      await run.killRandom();
    }
    const final = await run.allFinal();
    report(`headless chaos seed ${rng.seed}`, run, final, startedAt);
    expect(run.check(final)).toEqual([]);
  }, 120_000);

  it('tasks in panes under SIGKILLs of the controller, runners, agents and their tmux server', async () => {
    const rng = seededRng(chaosSeed());
    console.log(`pane chaos seed ${rng.seed} (CHAOS_SEED=${rng.seed} replays it)`);
    const startedAt = Date.now();
    tmux = await startTmuxServer({ width: 240, height: 60 });
    const origin = await paneEnv(tmux);
    tc = await startTestController(testConfig({ ...chaosConfig, tmux: { enabled: true, close_delay_ms: '200ms', command_timeout_ms: '3s' } }));
    const run = new ChaosRun(tc, rng);
    await run.launch(16, { origin: { tmuxSocket: origin.TMUX.split(',')[0], tmuxPane: origin.TMUX_PANE } });
    // Opening a pane takes a few tmux calls: each kill waits for an agent to run, or a controller
    // killed faster than panes open would keep every task starting. The tmux server goes last, at a
    // moment when tasks run in it: what waits then cannot start.
    const agentRuns = async () => expect(await run.waitForAgent(30_000), 'an agent running in a pane').toBe(true);
    for (let kills = 0; kills < 4; kills++) {
      await agentRuns();
      await pause(rng, 0, 300);
      await run.killRandom();
    }
    await agentRuns();
    const serverKilledAt = Date.now();
    const serverPid = Number(await tmux.client.run(['display-message', '-p', '#{pid}']));
    process.kill(serverPid, 'SIGKILL');
    const final = await run.allFinal();
    // Tasks whose attempt had begun when the server died may end any way but "complete as planned".
    const inServer = (t: ListedTask) => t.attempts.some((a) => a.startedAt <= serverKilledAt && (a.endedAt ?? Infinity) >= serverKilledAt - 50);
    const hit = final.filter((t) => inServer(t) && t.state === 'error' && t.cause?.kind !== 'exit').length;
    const unplaced = final.filter((t) => t.cause?.kind === 'start-failed').length;
    report(`pane chaos seed ${rng.seed} (tmux server SIGKILLed: ${hit} tasks ended with it, ${unplaced} could not start after it)`, run, final, startedAt);
    expect(run.check(final, (t) => inServer(t) || t.cause?.kind === 'start-failed')).toEqual([]);
  }, 120_000);
});
