// MCP `plan` and `plan_status`: a main agent hands over a whole workflow in one call and collects it.
import { describe, expect, it } from 'vitest';
import { useMcpSession } from '../mcp/helpers.js';

const session = useMcpSession();

describe('MCP plan tools', () => {
  it('submits a plan in one call and collects it with plan_status', async () => {
    const mcp = session.mcp();
    const plan = JSON.stringify({
      name: 'handed over',
      defaults: { agent: 'shell' },
      tasks: { first: { prompt: 'echo alpha' }, then: { after: ['first'], prompt: 'echo beta {{ tasks.first.result }}' } },
    });
    const submitted = await mcp.call('plan', { plan });
    expect(submitted.isError).toBe(false);
    const id = /plan (pl_[0-9a-z]{8})/.exec(submitted.text)?.[1];
    expect(id).toBeDefined();
    const status = await mcp.call('plan_status', { plan_id: id, block: true, timeout: 60_000 });
    expect(status.isError).toBe(false);
    expect(status.text).toMatch(/phase 2\/2\s+1\/1 done/);
    expect(status.text).toContain('beta alpha');
  });

  it('refuses a bad plan with its line and column, and starts nothing', async () => {
    const mcp = session.mcp();
    const c = await session.tc().client();
    const before = (await c.request({ op: 'list', all: true })).length;
    const r = await mcp.call('plan', { plan: 'name: x\ntasks:\n  a:\n    prompt: "true"\n    after: [ghost]\n' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/plan:5:\d+: no task named ghost/);
    expect(await c.request({ op: 'list', all: true })).toHaveLength(before);
    c.close();
  });
});
