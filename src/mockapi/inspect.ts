import type { MockMessage, RecordedRequest } from './types.js';

/** A tool call the model made earlier in the conversation, with the result the client sent back. */
export interface ToolExchange {
  name: string;
  input: Record<string, unknown>;
  /** The tool_result content flattened to text ('' while no result came back yet). */
  result: string;
  isError: boolean;
}

function blocks(m: MockMessage): Array<Record<string, unknown> & { type: string }> {
  return typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
}

function flatten(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((c) => (c && typeof c === 'object' && typeof (c as { text?: unknown }).text === 'string' ? (c as { text: string }).text : ''))
      .join('\n');
  }
  return '';
}

/** Every tool call in the conversation so far, paired with its result, oldest first. */
export function toolExchanges(req: RecordedRequest): ToolExchange[] {
  const byId = new Map<string, ToolExchange>();
  const order: ToolExchange[] = [];
  for (const m of req.messages) {
    for (const b of blocks(m)) {
      if (m.role === 'assistant' && b.type === 'tool_use') {
        const ex: ToolExchange = {
          name: String(b.name),
          input: (b.input && typeof b.input === 'object' ? b.input : {}) as Record<string, unknown>,
          result: '',
          isError: false,
        };
        byId.set(String(b.id), ex);
        order.push(ex);
      } else if (m.role === 'user' && b.type === 'tool_result') {
        const ex = byId.get(String(b.tool_use_id));
        if (ex) {
          ex.result = flatten(b.content);
          ex.isError = b.is_error === true;
        }
      }
    }
  }
  return order;
}

/** The tool_result blocks of the last user message (what the client just sent back). */
export function lastToolResults(req: RecordedRequest): Array<{ toolUseId: string; text: string; isError: boolean }> {
  const last = req.messages[req.messages.length - 1];
  if (!last || last.role !== 'user') return [];
  return blocks(last)
    .filter((b) => b.type === 'tool_result')
    .map((b) => ({ toolUseId: String(b.tool_use_id), text: flatten(b.content), isError: b.is_error === true }));
}

/** The text of the first user message: usually the prompt. */
export function promptText(req: RecordedRequest): string {
  const first = req.messages.find((m) => m.role === 'user');
  return first ? blocks(first).filter((b) => b.type === 'text').map((b) => String(b.text)).join('\n') : '';
}

export function offersTool(req: RecordedRequest, name: string): boolean {
  return req.tools.some((t) => t.name === name);
}
