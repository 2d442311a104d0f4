// Codex CLI `codex exec --json`: one JSON event per line (JSONL):
//   thread.started  thread_id
//   item.started / item.updated / item.completed  item.{id, type, …}: agent_message (text),
//                   command_execution (command, exit_code, status), file_change (changes[].path),
//                   mcp_tool_call (server, tool), web_search (query), reasoning, todo_list, error
//   turn.completed  usage.{input_tokens, cached_input_tokens, output_tokens, reasoning_output_tokens}
//   turn.failed     error.message;  error  message (a fatal stream error)
// Shapes checked against real runs of @openai/codex 0.171.0 (test/agents/codex.test.ts).
import { z } from 'zod';
import { LineParser, readEvent } from './base.js';
import { describeToolCall } from './tool-step.js';

const count = z.number().finite().nonnegative();

const ItemSchema = z.looseObject({
  id: z.string().optional(),
  type: z.string(),
  text: z.string().optional(),
  command: z.string().optional(),
  changes: z.array(z.looseObject({ path: z.string() })).optional().catch(undefined),
  server: z.string().optional(),
  tool: z.string().optional(),
  query: z.string().optional(),
  message: z.string().optional(),
});

const EventSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.enum(['item.started', 'item.updated', 'item.completed']), item: ItemSchema }),
  z.looseObject({
    type: z.literal('turn.completed'),
    usage: z.looseObject({
      input_tokens: count.optional(),
      cached_input_tokens: count.optional(),
      output_tokens: count.optional(),
      reasoning_output_tokens: count.optional(),
    }),
  }),
  z.looseObject({ type: z.literal('turn.failed'), error: z.looseObject({ message: z.string().optional() }).optional() }),
  z.looseObject({ type: z.literal('error'), message: z.string().optional() }),
]);

type Item = z.infer<typeof ItemSchema>;

/** Codex runs every command as `/bin/bash -lc '…'`: show what the model asked for. */
function unwrapShell(command: string): string {
  const m = /^\S*\b(?:ba|z)?sh -l?c '([\s\S]*)'$/.exec(command);
  return m?.[1] ?? command;
}

function describe(item: Item, cwd: string | undefined): string | undefined {
  switch (item.type) {
    case 'command_execution':
      return describeToolCall('bash', { command: unwrapShell(item.command ?? '') }, cwd);
    case 'file_change':
      return describeToolCall('edit', { path: item.changes?.[0]?.path }, cwd);
    case 'mcp_tool_call':
      return describeToolCall(`${item.server ?? 'mcp'}.${item.tool ?? 'tool'}`, undefined, cwd);
    case 'web_search':
      return describeToolCall('websearch', { query: item.query }, cwd);
    default:
      return undefined;
  }
}

export class CodexJsonParser extends LineParser {
  private readonly seenItems = new Set<string>();

  protected handleLine(line: string): void {
    const ev = readEvent(EventSchema, line);
    if (!ev) return;
    switch (ev.type) {
      case 'item.started':
      case 'item.updated':
      case 'item.completed': {
        const { item } = ev;
        // The final answer is the latest agent message; earlier ones were narration between steps.
        if (item.type === 'agent_message' && item.text !== undefined && item.text.trim() !== '') this.set({ result: item.text });
        const step = describe(item, this.cwdHint);
        if (step === undefined) return;
        // One step is reported when it starts and again when it completes: count it once.
        const isNew = item.id === undefined || !this.seenItems.has(item.id);
        if (item.id !== undefined) this.seenItems.add(item.id);
        this.set({ step, ...(isNew ? { toolCalls: this.mutable.toolCalls + 1 } : {}) });
        return;
      }
      case 'turn.completed': {
        // Usage is per turn (`codex exec` runs one; a resumed run starts a new stream): sum them.
        const u = ev.usage;
        this.set({
          inputTokens: this.mutable.inputTokens + (u.input_tokens ?? 0),
          outputTokens: this.mutable.outputTokens + (u.output_tokens ?? 0) + (u.reasoning_output_tokens ?? 0),
        });
        return;
      }
      case 'turn.failed':
        this.set({ isError: true, errorMessage: ev.error?.message ?? 'codex reported a failed turn' });
        return;
      case 'error':
        this.set({ isError: true, errorMessage: ev.message ?? 'codex reported an error' });
        return;
    }
  }
}
