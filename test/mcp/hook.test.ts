import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { announceUncollected } from '../../src/mcp/hook.js';
import { CLI, startTestController, type TestController } from '../support/controller.js';

const HOOK = resolve(import.meta.dirname, '../../dist/mcp/hook-main.js');

let tc: TestController;
beforeAll(async () => {
  tc = await startTestController();
});
afterAll(async () => {
  await tc?.stop();
});

const runHook = (env: NodeJS.ProcessEnv, entry: 'fast' | 'cli' = 'fast') =>
  execa(process.execPath, entry === 'fast' ? [HOOK, 'claude-code'] : [CLI, 'hook', 'claude-code'], { env, extendEnv: false, reject: false });

async function ended(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await tc.cli(['launch', '--json', '--subagent', 'shell', ...args], { env });
  if (r.exitCode !== 0) throw new Error(`launch failed: ${r.stderr}`);
  const id = (JSON.parse(r.stdout as string) as { id: string }).id;
  await tc.waitFinal(id);
  return id;
}

describe('panecrew hook claude-code', () => {
  it("prints each uncollected ending of this pane's tasks once, then nothing", async () => {
    const ok = await ended(['--prompt', 'echo all done here; echo second line']);
    const failed = await ended(['--prompt', 'echo broken >&2; exit 3']);
    const read = await ended(['--prompt', 'echo already read']);
    const otherPane = await ended(['--prompt', 'echo from another pane'], { TMUX: '/tmp/panecrew-no-such-tmux,1,0', TMUX_PANE: '%99' });
    // Read through MCP (background_output collects): not announced again.
    const c = await tc.client();
    await c.request({ op: 'result', taskId: read, collect: true });
    c.close();

    const first = await runHook(tc.env);
    expect(first.exitCode).toBe(0);
    const lines = (first.stdout as string).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`🔔 Background task ${ok} (echo all done here; echo second line) completed: all done here`);
    expect(lines[1]).toMatch(new RegExp(`^🔔 Background task ${failed} \\(echo broken >&2; exit 3\\) failed: .*3`));

    const second = await runHook(tc.env, 'cli');
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toBe('');

    const pane = await runHook({ ...tc.env, TMUX: '/tmp/panecrew-no-such-tmux,1,0', TMUX_PANE: '%99' }, 'cli');
    expect(pane.stdout).toBe(`🔔 Background task ${otherPane} (echo from another pane) completed: from another pane`);
  });

  it('marks nothing read when its deadline passes before the notices are written', async () => {
    const id = await ended(['--prompt', 'echo late reader']);
    const written: string[] = [];
    let work: Promise<void> | undefined;
    const announced = announceUncollected(tc.env, (n) => written.push(...n), 0, (w) => (work = w));
    // Hold the event loop so the deadline's timer is due before the connection's I/O is seen: timers
    // run first on the next turn, so the deadline passes while the connection is still pending.
    const until = Date.now() + 30;
    while (Date.now() < until);
    await announced;
    await work; // the connection it began has completed and closed: nothing more will happen
    expect(written).toEqual([]);
    const c = await tc.client();
    try {
      expect((await c.request({ op: 'uncollected', mark: false })).map((t) => t.id)).toContain(id);
    } finally {
      c.close();
    }
    // The next prompt announces it, once.
    expect((await runHook(tc.env)).stdout).toBe(`🔔 Background task ${id} (echo late reader) completed: late reader`);
    expect((await runHook(tc.env)).stdout).toBe('');
  });

  it('prints nothing, exits 0 and starts no controller when none runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'panecrew-hook-'));
    try {
      const env = { ...tc.env, PANECREW_HOME: join(dir, 'home') };
      for (const entry of ['fast', 'cli'] as const) {
        const r = await runHook(env, entry);
        expect(r.exitCode).toBe(0);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe('');
      }
      expect(existsSync(join(dir, 'home', 'controller.sock'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
