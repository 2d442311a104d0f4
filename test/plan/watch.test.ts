// `plan show --watch` against a real controller and real shell tasks: drawn from the event stream,
// one drawing per change, ending with the plan (exit codes as `plan wait`), Ctrl-C clean.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, startTestController, testConfig, until, type TestController } from '../support/controller.js';

let tc: TestController | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

async function runPlan(t: TestController, yaml: string): Promise<string> {
  const file = join(t.dir, 'plan.yaml');
  writeFileSync(file, yaml);
  const r = await t.cli(['plan', 'run', file]);
  if (r.exitCode !== 0) throw new Error(`plan run failed (${r.exitCode}): ${r.stderr}`);
  return String(r.stdout).split('\n')[0]!.trim();
}

const watch = (t: TestController, id: string, ...more: string[]) => execa('node', [CLI, 'plan', 'show', id, '--watch', ...more], { env: t.env, cwd: t.dir, reject: false, extendEnv: false });

interface Drawn { state: string; phases: Array<Array<{ node: string; task: { state: string; endedAt: number | null } }>> }

/** Each node's states in the order the drawings showed them, repeats folded. */
function statesOf(lines: Drawn[]): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  for (const v of lines) {
    for (const n of v.phases.flat()) {
      const list = seen.get(n.node) ?? [];
      if (list.at(-1) !== n.task.state) list.push(n.task.state);
      seen.set(n.node, list);
    }
  }
  return seen;
}

describe('plan show --watch', () => {
  it('draws each state change and ends with code 1 right after a failed plan ends', async () => {
    tc = await startTestController(testConfig({ background_task: { defaultConcurrency: 4 } }));
    const id = await runPlan(tc, 'name: w\ndefaults: { agent: shell }\ntasks:\n  first: { prompt: "sleep 1; echo one" }\n  second: { prompt: "sleep 1; exit 3", after: [first] }\n');
    const proc = watch(tc, id, '--json');
    const r = await proc;
    const exitedAt = Date.now();
    expect(r.exitCode, String(r.stderr)).toBe(1);
    const drawn = String(r.stdout).trim().split('\n').map((l) => JSON.parse(l) as Drawn);
    const states = statesOf(drawn);
    expect(states.get('first')!.slice(-2)).toEqual(['running', 'completed']);
    expect(states.get('second')).toEqual(['pending', 'running', 'error']);
    expect(drawn.at(-1)!.state).toBe('failed');
    const endedAt = Math.max(...drawn.at(-1)!.phases.flat().map((n) => n.task.endedAt!));
    expect(exitedAt - endedAt).toBeLessThan(3000);
  });

  it('ends with 0 when every task completed; the text drawing shows the states', async () => {
    tc = await startTestController();
    const id = await runPlan(tc, 'name: ok\ndefaults: { agent: shell }\ntasks:\n  only: { prompt: "sleep 1; echo fine" }\n');
    const r = await watch(tc, id);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const out = String(r.stdout);
    expect(out).toContain('running');
    expect(out).toMatch(/only\s+\S+\s+✓ completed/);
  });

  it('Ctrl-C ends the watch with 130 and leaves the plan running', async () => {
    tc = await startTestController();
    const id = await runPlan(tc, 'name: long\ndefaults: { agent: shell }\ntasks:\n  slow: { prompt: "sleep 30" }\n');
    const proc = watch(tc, id);
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => out.includes('running'), 'the first drawing', 15_000);
    proc.kill('SIGINT');
    const r = await proc;
    expect(r.exitCode).toBe(130);
    expect(String(r.stderr)).toBe('');
    const shown = await tc.cli(['plan', 'show', id, '--json']);
    expect(JSON.parse(String(shown.stdout)).state).toBe('running');
  });
});
