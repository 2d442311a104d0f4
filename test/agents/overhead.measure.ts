// How much panecrew adds to a real Claude Code run: the same one-shot task, against the same local
// server, timed under panecrew (`panecrew launch` → the controller's `completed` event) and by hand
// (`claude -p … --output-format stream-json --verbose`, spawn → exit), alternating, median of 5.
// The numbers are printed; docs/agents.md quotes a run of this test.
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestController, type TestController } from '../support/controller.js';
import { startMockApi, type MockApi } from '../support/mock-api.js';
import { BIN, claudeEnv, followTask, launchWith, makeProject, PHRASE, readFileScript, type Project } from './support.js';
import { median } from '../support/figures.js';

const RUNS = 5;
const PROMPT = 'What do the notes in NOTES.md say?';

describe('overhead of running Claude Code under panecrew', () => {
  let tc: TestController;
  let api: MockApi;
  let project: Project;

  beforeAll(async () => {
    project = makeProject();
    api = await startMockApi(readFileScript('Read', project.file));
    tc = await startTestController();
  });
  afterAll(async () => {
    await tc?.stop();
    await api?.close();
  });

  it(`is measured over ${RUNS} runs each way`, { timeout: 180_000 }, async () => {
    const env = claudeEnv(api.url, project.home);
    const under: number[] = [];
    const agentOnly: number[] = [];
    const byHand: number[] = [];
    // Where the difference goes: CLI start to the task's creation, creation to its start, and the
    // runner's exit record to the controller's event.
    const phases = { launchCli: [] as number[], toStart: [] as number[], exitToEvent: [] as number[] };
    // One unmeasured run each way: the first start of Claude Code in a fresh HOME does more work.
    for (let i = 0; i <= RUNS; i++) {
      let t0 = performance.now();
      const wall0 = Date.now();
      const { final } = await followTask(tc, () => launchWith(tc, ['--agent', 'claude', '--cwd', project.dir, '--', PROMPT], env));
      const tUnder = performance.now() - t0;
      const wallEvent = Date.now();
      expect(final.state, final.reason ?? '').toBe('completed');

      t0 = performance.now();
      const hand = await execa(join(BIN, 'claude'), ['-p', '--output-format', 'stream-json', '--verbose', '--', PROMPT], {
        cwd: project.dir,
        env,
        extendEnv: false,
        stdin: 'ignore',
        reject: false,
      });
      const tHand = performance.now() - t0;
      expect(hand.exitCode, hand.stderr).toBe(0);
      expect(hand.stdout).toContain(PHRASE);
      if (i === 0) continue;
      under.push(tUnder);
      byHand.push(tHand);
      agentOnly.push(final.attempts[0]!.endedAt! - final.attempts[0]!.startedAt);
      phases.launchCli.push(final.createdAt - wall0);
      phases.toStart.push(final.startedAt! - final.createdAt);
      phases.exitToEvent.push(wallEvent - final.endedAt!);
    }
    const report = {
      runs: RUNS,
      underPanecrewMs: Math.round(median(under)),
      agentInsidePanecrewMs: Math.round(median(agentOnly)),
      byHandMs: Math.round(median(byHand)),
      overheadMs: Math.round(median(under) - median(byHand)),
      ratio: Number((median(under) / median(byHand)).toFixed(2)),
      phasesMs: { launchCli: median(phases.launchCli), createdToStarted: median(phases.toStart), exitToEvent: median(phases.exitToEvent) },
      samples: { under: under.map(Math.round), byHand: byHand.map(Math.round) },
    };
    console.log(`panecrew overhead (Claude Code ${RUNS} runs): ${JSON.stringify(report)}`);
    // A loose bound: a CLI start, a socket round trip, a runner and one file event, not seconds.
    expect(report.overheadMs).toBeLessThan(3_000);
  });
});
