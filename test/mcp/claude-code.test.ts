// The real Claude Code CLI as the MCP client, its model played by the local mock Messages API.
import { claudeEnv, runClaude } from '../agents/support.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { CLI, startTestController, type TestController } from '../support/controller.js';
import { offersTool, promptText, startMockApi, toolExchanges, type MockApi, type RecordedRequest, type MockReply } from '../support/mock-api.js';

const MARKER = 'PANECREW-E2E';

/** A model that fires a background shell task, waits for it through background_output, and reports. */
function mainAgent(req: RecordedRequest): MockReply {
  if (!promptText(req).includes(MARKER)) return { text: 'Background task demo' };
  // Claude Code 2.1 may start the first turn before MCP servers are up; a model then waits for them.
  if (!offersTool(req, 'mcp__panecrew__task')) return { text: 'Waiting for tools.', toolUse: { name: 'WaitForMcpServers', input: {} } };
  const [launch, output] = toolExchanges(req).filter((e) => e.name.startsWith('mcp__panecrew__'));
  if (!launch) return { text: 'I will run that in the background.', toolUse: { name: 'mcp__panecrew__task', input: { prompt: 'echo MAGIC-42', subagent_type: 'shell', title: 'magic' } } };
  if (!output) {
    const id = /task_id: (bg_[0-9a-z]{8})/.exec(launch.result)?.[1] ?? 'bg_missing0';
    return { text: 'Waiting for it.', toolUse: { name: 'mcp__panecrew__background_output', input: { task_id: id, block: true, timeout: 60_000 } } };
  }
  return { text: `The background task said: ${/MAGIC-\d+/.exec(output.result)?.[0] ?? `nothing (${output.result})`}` };
}

let tc: TestController;
let api: MockApi;
let dir: string;

beforeAll(async () => {
  tc = await startTestController();
  api = await startMockApi(mainAgent);
  dir = mkdtempSync(join(tmpdir(), 'panecrew-claude-'));
});
afterAll(async () => {
  await api?.close();
  await tc?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Claude Code as the MCP client', () => {
  it('launches a background task through task and gets its output through background_output', async () => {
    const config = join(dir, 'mcp.json');
    writeFileSync(config, JSON.stringify({ mcpServers: { panecrew: { type: 'stdio', command: process.execPath, args: [CLI, 'mcp'] } } }));
    const r = await runClaude(
      ['-p', '--output-format', 'json', '--strict-mcp-config', '--mcp-config', config, '--allowedTools=mcp__panecrew__task,mcp__panecrew__background_output', '--', `${MARKER}: run echo MAGIC-42 in the background and tell me what it printed`],
      dir,
      {
        ...tc.env,
        ...claudeEnv(api.url, dir),
        // Claude Code 2.1 connects MCP servers in the background in -p mode (init reports them
        // "pending"); 0 makes it connect them before the first turn. MCP_TIMEOUT: how long it
        // waits for a server to start, generous for a loaded CI machine.
        MCP_CONNECTION_NONBLOCKING: '0',
        MCP_TIMEOUT: '60000',
      },
    );
    expect(r.exitCode, `claude failed: ${r.stderr}\n${r.stdout}`).toBe(0);
    const final = JSON.parse(r.stdout) as { type: string; is_error: boolean; result: string; num_turns: number };
    expect(final.is_error).toBe(false);
    const offered = api.requests.map((q) => `#${q.index}: ${q.tools.filter((t) => t.name.startsWith('mcp__')).map((t) => t.name).join(',') || '(no mcp tools)'} ${promptText(q).slice(0, 60)}`);
    expect(final.result, `requests:\n${offered.join('\n')}\nstderr: ${r.stderr}`).toBe('The background task said: MAGIC-42');

    // The task really ran under the controller, and reading it through MCP collected it.
    const c = await tc.client();
    try {
      const tasks = await c.request({ op: 'list', all: true });
      const magic = tasks.filter((t) => t.prompt === 'echo MAGIC-42');
      expect(magic).toHaveLength(1);
      expect(magic[0]).toMatchObject({ state: 'completed', agent: 'shell', title: 'magic' });
      expect(magic[0]!.collectedAt).not.toBeNull();
    } finally {
      c.close();
    }
    const exchanges = toolExchanges(api.requests[api.requests.length - 1]!).filter((e) => e.name.startsWith('mcp__panecrew__'));
    expect(exchanges.map((e) => [e.name, e.isError])).toEqual([
      ['mcp__panecrew__task', false],
      ['mcp__panecrew__background_output', false],
    ]);
    expect(exchanges[1]!.result).toMatch(/--- result ---\nMAGIC-42/);
  }, 150_000);
});
