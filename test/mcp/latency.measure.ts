// Round-trip times from an MCP SDK client, over stdio, through `panecrew mcp`, to the controller.
// The numbers are printed (docs/mcp.md quotes them); the bounds only catch something gone badly wrong.
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestController } from '../support/controller.js';
import { taskIdOf, useMcpSession, type McpSession } from './helpers.js';
import { median, p90 } from '../support/figures.js';

const N = 20;
const session = useMcpSession();
let tc: TestController;
let mcp: McpSession;
beforeAll(() => {
  tc = session.tc();
  mcp = session.mcp();
});


async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

describe('MCP round trips', () => {
  it(`task (launch) and a blocking background_output of an ended task, median of ${N}`, async () => {
    await mcp.call('background_list'); // warm: connection to the controller, first-call costs
    const launch: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const [ms, r] = await timed(() => mcp.call('task', { prompt: `echo run-${i}`, subagent_type: 'shell' }));
      expect(r.isError).toBe(false);
      launch.push(ms);
      ids.push(taskIdOf(r.text));
    }
    for (const id of ids) await tc.waitFinal(id);
    const output: number[] = [];
    for (const [i, id] of ids.entries()) {
      const [ms, r] = await timed(() => mcp.call('background_output', { task_id: id, block: true, timeout: 10_000 }));
      expect(r.text).toContain(`run-${i}`);
      output.push(ms);
    }
    const line = (name: string, xs: number[]) => `${name}: median ${median(xs).toFixed(1)} ms, p90 ${p90(xs).toFixed(1)} ms, min ${Math.min(...xs).toFixed(1)} ms`;
    console.log(`[mcp latency] ${line('task (launch)', launch)}\n[mcp latency] ${line('background_output block=true, ended', output)}`);
    expect(median(launch)).toBeLessThan(1_000);
    expect(median(output)).toBeLessThan(1_000);
  });
});
