// An MCP SDK client on `panecrew mcp` (the built CLI), in the environment of a test controller.
import { afterAll, beforeAll } from 'vitest';
import { startTestController, type TestController } from '../support/controller.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI } from '../support/controller.js';

export interface McpSession {
  client: Client;
  /** Calls a tool; returns its text and whether it is a tool error. */
  call(name: string, args?: Record<string, unknown>): Promise<{ text: string; isError: boolean }>;
  close(): Promise<void>;
}

export async function startMcp(env: NodeJS.ProcessEnv, opts: { args?: string[]; cwd?: string } = {}): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', ...(opts.args ?? [])],
    env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
    cwd: opts.cwd,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'panecrew-test', version: '0.0.0' });
  await client.connect(transport);
  return {
    client,
    async call(name, args = {}) {
      const r = (await client.callTool({ name, arguments: args })) as { content: Array<{ type: string; text?: string }>; isError?: boolean };
      return { text: r.content.map((c) => c.text ?? '').join('\n'), isError: r.isError === true };
    },
    close: () => client.close(),
  };
}

/** The task id on the `task_id: bg_…` line of a `task` answer. */
export function taskIdOf(text: string): string {
  const id = /^task_id: (bg_[0-9a-z]{8})$/m.exec(text)?.[1];
  if (!id) throw new Error(`no task id in:\n${text}`);
  return id;
}

export const cursorOf = (text: string): number => {
  const m = /next cursor: since=(\d+)/.exec(text);
  if (!m) throw new Error(`no cursor in:\n${text}`);
  return Number(m[1]);
};

/** A controller and a `panecrew mcp` session on it for the whole file; the getters read them in tests. */
export function useMcpSession(): { tc: () => TestController; mcp: () => McpSession } {
  let tc: TestController;
  let mcp: McpSession;
  beforeAll(async () => {
    tc = await startTestController();
    mcp = await startMcp(tc.env, { cwd: tc.dir });
  });
  afterAll(async () => {
    await mcp?.close();
    await tc?.stop();
  });
  return { tc: () => tc, mcp: () => mcp };
}
