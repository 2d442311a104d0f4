// Plans with real shell tasks through the real controller: order and parallelism, results flowing
// forward, fan-out, failure and retry, refusal of bad files with locations.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';

let tc: TestController | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

interface Node { node: string; task: { id: string; state: string; startedAt: number | null; endedAt: number | null; resultPreview: string | null; prompt: string } }
interface View { id: string; state: string; artifacts: string; phases: Node[][] }

async function runPlan(t: TestController, yaml: string): Promise<string> {
  const file = join(t.dir, 'plan.yaml');
  writeFileSync(file, yaml);
  const r = await t.cli(['plan', 'run', file]);
  if (r.exitCode !== 0) throw new Error(`plan run failed (${r.exitCode}): ${r.stderr}`);
  return (r.stdout as string).split('\n')[0]!.trim();
}

async function waitPlan(t: TestController, id: string): Promise<{ code: number; view: View }> {
  const r = await t.cli(['plan', 'wait', id, '--json', '--timeout', '60s']);
  return { code: r.exitCode ?? -1, view: JSON.parse(r.stdout as string) };
}

const byNode = (v: View) => new Map(v.phases.flat().map((n) => [n.node, n.task]));

describe('plans', () => {
  it('runs three phases in order, the middle one in parallel, results reaching prompts and the artifacts folder', async () => {
    tc = await startTestController(testConfig({ background_task: { defaultConcurrency: 4 } }));
    const id = await runPlan(tc, `
name: feature
defaults: { agent: shell }
tasks:
  contract:
    prompt: echo "GET /items" > "$PANECREW_PLAN_DIR/contract.txt"; echo contract-v1
  backend:
    after: [contract]
    prompt: sleep 1; echo backend on {{ tasks.contract.result }} $(cat "$PANECREW_PLAN_DIR/contract.txt")
  frontend:
    after: [contract]
    prompt: sleep 1; echo frontend
  integrate:
    after: [backend, frontend]
    prompt: echo together {{ tasks.backend.result }} + {{ tasks.frontend.result }}
`);
    expect(id).toMatch(/^pl_[0-9a-z]{8}$/);
    const { code, view } = await waitPlan(tc, id);
    expect(code).toBe(0);
    expect(view.phases.map((p) => p.map((n) => n.node).sort())).toEqual([['contract'], ['backend', 'frontend'], ['integrate']]);
    const t = byNode(view);
    const [c, b, f, i] = ['contract', 'backend', 'frontend', 'integrate'].map((n) => t.get(n)!);
    expect(b!.startedAt!).toBeGreaterThanOrEqual(c!.endedAt!);
    expect(f!.startedAt!).toBeGreaterThanOrEqual(c!.endedAt!);
    // backend and frontend overlapped (each sleeps 1 s)
    expect(Math.max(b!.startedAt!, f!.startedAt!)).toBeLessThan(Math.min(b!.endedAt!, f!.endedAt!));
    expect(i!.startedAt!).toBeGreaterThanOrEqual(Math.max(b!.endedAt!, f!.endedAt!));
    expect(b!.resultPreview).toContain('backend on contract-v1 GET /items');
    expect(i!.resultPreview).toContain('together backend on contract-v1 GET /items + frontend');
    // the stored prompt keeps its template: a retry substitutes the new result
    expect(i!.prompt).toContain('{{ tasks.backend.result }}');
    expect(readFileSync(join(view.artifacts, 'contract.md'), 'utf8')).toContain('contract-v1');
    expect(readFileSync(join(view.artifacts, 'integrate.md'), 'utf8')).toContain('together');
    const ls = JSON.parse((await tc.cli(['plan', 'ls', '--json'])).stdout as string);
    expect(ls).toMatchObject([{ id, name: 'feature', state: 'completed', tasks: 4 }]);
  });

  it("a result reaches a command's prompt as text, never as shell code", async () => {
    tc = await startTestController();
    const id = await runPlan(tc, `
name: hostile
defaults: { agent: shell }
tasks:
  evil:
    prompt: printf '%s\\n' "it's \\$(touch \\"\\$PANECREW_PLAN_DIR/pwned\\") \\\`touch x\\\` \\"q\\""
  reader:
    after: [evil]
    prompt: 'echo "quoted: {{ tasks.evil.result }}"; echo bare: {{ tasks.evil.result }}'
`);
    const { code, view } = await waitPlan(tc, id);
    const evil = byNode(view).get('evil')!;
    expect(evil.resultPreview).toContain('$(touch');
    expect(code).toBe(0);
    const text = 'it\'s $(touch "$PANECREW_PLAN_DIR/pwned") `touch x` "q"';
    expect(readFileSync(join(view.artifacts, 'reader.md'), 'utf8')).toContain(`quoted: ${text}\nbare: ${text}`);
    expect(existsSync(join(view.artifacts, 'pwned'))).toBe(false);
  });

  it('holds the key limit across a phase', async () => {
    tc = await startTestController(testConfig({ background_task: { defaultConcurrency: 1 } }));
    const id = await runPlan(tc, `
name: limited
defaults: { agent: shell, key: one-at-a-time }
tasks:
  a: { prompt: sleep 0.5 }
  b: { prompt: sleep 0.5 }
  c: { prompt: sleep 0.5 }
`);
    const { code, view } = await waitPlan(tc, id);
    expect(code).toBe(0);
    const spans = view.phases.flat().map((n) => [n.task.startedAt!, n.task.endedAt!]).sort((x, y) => x[0]! - y[0]!);
    for (let k = 1; k < spans.length; k++) expect(spans[k]![0]).toBeGreaterThanOrEqual(spans[k - 1]![1]!);
  });

  it('fans out over a list and awaits the whole group', async () => {
    tc = await startTestController();
    const id = await runPlan(tc, `
name: explore
defaults: { agent: shell }
tasks:
  explore:
    over: [auth, db, api]
    prompt: echo found-{{ item }}
  synthesis:
    after: [explore]
    prompt: echo summary {{ tasks.explore.result }}
`);
    const { code, view } = await waitPlan(tc, id);
    expect(code).toBe(0);
    const t = byNode(view);
    expect([...t.keys()].sort()).toEqual(['explore[0]', 'explore[1]', 'explore[2]', 'synthesis']);
    const s = t.get('synthesis')!;
    for (const n of ['explore[0]', 'explore[1]', 'explore[2]']) expect(s.startedAt!).toBeGreaterThanOrEqual(t.get(n)!.endedAt!);
    const result = readFileSync(join(view.artifacts, 'synthesis.md'), 'utf8');
    for (const item of ['auth', 'db', 'api']) expect(result).toContain(`found-${item}`);
  });

  it('a failure cancels exactly its dependents, and retry re-runs only those', async () => {
    tc = await startTestController();
    const id = await runPlan(tc, `
name: flaky
defaults: { agent: shell }
tasks:
  a: { prompt: echo a >> "$PANECREW_PLAN_DIR/runs-a" }
  b:
    after: [a]
    prompt: test -f "$PANECREW_PLAN_DIR/fixed" || exit 3; echo b-ok
  c:
    after: [b]
    prompt: echo c after {{ tasks.b.result }}
  d:
    after: [a]
    prompt: echo d
`);
    const first = await waitPlan(tc, id);
    expect(first.code).toBe(1);
    const states = Object.fromEntries([...byNode(first.view)].map(([n, t]) => [n, t.state]));
    expect(states).toEqual({ a: 'completed', b: 'error', c: 'cancelled', d: 'completed' });
    const kept = byNode(first.view);
    writeFileSync(join(first.view.artifacts, 'fixed'), '');
    const retry = await tc.cli(['plan', 'retry', id, '--json']);
    expect(retry.exitCode).toBe(0);
    expect(JSON.parse(retry.stdout as string).map((t: { plan: { node: string } }) => t.plan.node).sort()).toEqual(['b', 'c']);
    const second = await waitPlan(tc, id);
    expect(second.code).toBe(0);
    const now = byNode(second.view);
    expect(now.get('a')!.id).toBe(kept.get('a')!.id);
    expect(now.get('d')!.id).toBe(kept.get('d')!.id);
    expect(now.get('c')!.resultPreview).toContain('c after b-ok');
    expect(readFileSync(join(second.view.artifacts, 'runs-a'), 'utf8')).toBe('a\n');
    expect((await tc.cli(['plan', 'retry', id])).stdout).toContain('nothing to run again');
  });

  it('retry with the edited file re-runs the changed task and what waits on it; show draws the phases', async () => {
    tc = await startTestController();
    const yaml = (word: string) => `
name: edited
defaults: { agent: shell }
tasks:
  base: { prompt: echo base }
  words: { prompt: echo ${word}, after: [base] }
  end: { prompt: "echo end {{ tasks.words.result }}", after: [words] }
  side: { prompt: echo side, after: [base] }
`;
    const id = await runPlan(tc, yaml('first'));
    expect((await waitPlan(tc, id)).code).toBe(0);
    const file = join(tc.dir, 'plan.yaml');
    writeFileSync(file, yaml('second'));
    const retry = await tc.cli(['plan', 'retry', id, file, '--json']);
    expect(retry.stderr).toBe('');
    expect(JSON.parse(retry.stdout as string).map((t: { plan: { node: string } }) => t.plan.node).sort()).toEqual(['end', 'words']);
    const { code, view } = await waitPlan(tc, id);
    expect(code).toBe(0);
    expect(byNode(view).get('end')!.resultPreview).toContain('end second');
    const shown = (await tc.cli(['plan', 'show', id])).stdout as string;
    expect(shown).toMatch(/phase 1\/3 +1\/1 done\n +base /);
    expect(shown).toMatch(/phase 3\/3 +1\/1 done\n +end +bg_\w+ +✓ completed .*← words\n +end second/);
  });

  it('refuses bad plan files with file:line:column, and queues nothing', async () => {
    tc = await startTestController();
    const file = join(tc.dir, 'plan.yaml');
    const cases: Array<[string, RegExp]> = [
      ['name: x\ntasks:\n  a: { prompt: "true", after: [nobody] }\n', /plan\.yaml:3:\d+: no task named nobody/],
      ['name: x\ntasks:\n  a: { prompt: "true", after: [b] }\n  b: { prompt: "true", after: [a] }\n', /plan\.yaml:3:\d+: these tasks wait for each other in a circle: a → b → a/],
      ['name: x\ntasks:\n  a: { prompt: "true" }\n  b:\n    prompt: echo {{ tasks.a.result }}\n', /plan\.yaml:5:13: .*b does not wait for a/],
      ['name: x\ntasks:\n  a:\n    prompt: "true"\n    over: []\n', /plan\.yaml:5:11: the fan-out of a is empty/],
      ['name: x\ntasks:\n  a:\n    prompt: "true"\n    agnet: shell\n', /plan\.yaml:5:5: unknown field "agnet"/],
      ['name: x\ntasks:\n  a:\n    prompt: "true"\n   after: []\n', /plan\.yaml:\d+:\d+: /],
      ['name: x\ntasks: {}\n', /plan\.yaml:2:\d+: tasks: a plan needs at least one task/],
    ];
    for (const [yaml, error] of cases) {
      writeFileSync(file, yaml);
      const r = await tc.cli(['plan', 'run', file]);
      expect(r.stderr).toMatch(error);
      expect(r.exitCode).toBe(2);
    }
    const ls = JSON.parse((await tc.cli(['ls', '--all', '--json'])).stdout as string);
    expect(ls.tasks).toEqual([]);
    expect(existsSync(join(tc.home, 'plans'))).toBe(false);
  });

  it('a controller SIGKILL mid-plan loses nothing and runs nothing twice', async () => {
    tc = await startTestController();
    const id = await runPlan(tc, `
name: durable
defaults: { agent: shell }
tasks:
  first:
    prompt: echo run >> "$PANECREW_PLAN_DIR/runs-first"; sleep 2; echo one
  second:
    after: [first]
    over: [x, y]
    prompt: echo run >> "$PANECREW_PLAN_DIR/runs-{{ item }}"; echo two {{ tasks.first.result }}
`);
    const c = await tc.client();
    const all = (await c.request({ op: 'list', all: true })).filter((t) => t.plan?.id === id);
    c.close();
    expect(all).toHaveLength(3);
    const first = all.find((t) => t.plan!.node === 'first')!;
    await until(async () => ((await tc!.get(first.id)).pid ? true : null), 'first task running');
    await tc.kill('SIGKILL');
    await tc.start();
    const { code, view } = await waitPlan(tc, id);
    expect(code).toBe(0);
    expect(view.phases.flat().map((n) => n.task.id).sort()).toEqual(all.map((t) => t.id).sort());
    for (const f of ['runs-first', 'runs-x', 'runs-y']) expect(readFileSync(join(view.artifacts, f), 'utf8')).toBe('run\n');
    expect(byNode(view).get('second[1]')!.resultPreview).toContain('two one');
  });
});
