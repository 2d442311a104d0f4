// The MCP server: its tools over the controller, served on stdio. Every failure becomes a tool
// error (isError) with a readable text; nothing a client sends can bring the server down.
import { readFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { ClientError } from '../controller/client.js';
import { ControllerLink } from './connection.js';
import { CancelInput, DESCRIPTIONS, ListInput, OutputInput, SendInput, TaskInput } from './schemas.js';
import { PLAN_DESCRIPTIONS, PlanInput, PlanStatusInput, planStatusTool, planTool } from './plan-tools.js';
import { PlanError } from '../plan/load.js';
import { ArgumentError, cancelTool, listTool, outputTool, sendTool, taskTool, type ToolContext } from './tools.js';

export interface McpOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Start the controller when none runs (default true). */
  autostart?: boolean;
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

function errorText(err: unknown): string {
  if (err instanceof ClientError) {
    if (err.code === 'unavailable') return `the panecrew controller is not available: ${err.message}`;
    if (err.code === 'not-found') return `${err.message.replace(/; list tasks with: .*$/, '')}; see background_list for the known tasks`;
    if (err.code === 'bad-request') return `invalid request: ${err.message}`;
    return err.message;
  }
  if (err instanceof ArgumentError || err instanceof PlanError) return `invalid arguments: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

async function answer(run: () => Promise<string>): Promise<CallToolResult> {
  try {
    return { content: [{ type: 'text', text: await run() }] };
  } catch (err) {
    return { content: [{ type: 'text', text: errorText(err) }], isError: true };
  }
}

export function createMcpServer(opts: McpOptions): { server: McpServer; close(): void } {
  const link = new ControllerLink({ env: opts.env, autostart: opts.autostart ?? true });
  const ctx: ToolContext = { link, env: opts.env, cwd: opts.cwd };
  const server = new McpServer({ name: 'panecrew', version: version() }, { capabilities: { tools: {} } });

  // While a blocking call waits, each change of the task becomes a progress notification, when the
  // client asked for them (a progress token): some clients reset their request timeout on progress.
  const progress = (extra: Extra) => {
    const token = extra._meta?.progressToken;
    if (token === undefined) return undefined;
    let n = 0;
    return (t: { state: string; progress: { step?: string } }) =>
      void extra
        .sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: ++n, message: `${t.state}${t.progress.step ? `: ${t.progress.step}` : ''}` } })
        .catch(() => {});
  };

  server.registerTool('task', { title: 'Start a background agent', description: DESCRIPTIONS.task, inputSchema: TaskInput }, (args, extra) =>
    answer(() => taskTool(args, ctx, extra.signal, progress(extra))),
  );
  // Not read-only: reading a finished task marks it read (only the prompt hook's notices notice that).
  server.registerTool(
    'background_output',
    { title: "Read a background task's result", description: DESCRIPTIONS.background_output, inputSchema: OutputInput, annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true } },
    (args, extra) => answer(() => outputTool(args, ctx, extra.signal, progress(extra))),
  );
  server.registerTool(
    'background_cancel',
    { title: 'Cancel background tasks', description: DESCRIPTIONS.background_cancel, inputSchema: CancelInput, annotations: { destructiveHint: true } },
    (args) => answer(() => cancelTool(args, ctx)),
  );
  server.registerTool(
    'background_send',
    { title: 'Send a follow-up to an interactive background agent', description: DESCRIPTIONS.background_send, inputSchema: SendInput, annotations: { destructiveHint: false } },
    (args) => answer(() => sendTool(args, ctx)),
  );
  server.registerTool(
    'background_list',
    { title: 'List background tasks', description: DESCRIPTIONS.background_list, inputSchema: ListInput, annotations: { readOnlyHint: true } },
    (args) => answer(() => listTool(args, ctx)),
  );
  server.registerTool('plan', { title: 'Submit a plan of background tasks', description: PLAN_DESCRIPTIONS.plan, inputSchema: PlanInput }, (args) => answer(() => planTool(args, ctx)));
  server.registerTool(
    'plan_status',
    { title: "A plan's phases and results", description: PLAN_DESCRIPTIONS.plan_status, inputSchema: PlanStatusInput, annotations: { readOnlyHint: true } },
    (args, extra) => answer(() => planStatusTool(args, ctx, extra.signal)),
  );
  return { server, close: () => link.close() };
}

/** Serves on stdin/stdout until the client closes them. */
export async function serveStdio(opts: McpOptions): Promise<void> {
  const { server, close } = createMcpServer(opts);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  close();
  await server.close().catch(() => {});
}
