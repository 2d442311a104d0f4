// The OpenAI Responses API (`POST …/responses`, streamed as SSE), as Codex CLI uses it: the
// request's `input` items become Messages-shaped messages, the built message becomes
// response.created → output_item.added/done (+ output_text deltas) → response.completed.
import type { MockProtocol, RequestView } from './protocol.js';
import { chunkText, type BuiltMessage } from './reply.js';
import type { MockMessage } from './types.js';

type Item = Record<string, unknown>;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((c) => (c && typeof c === 'object' && typeof (c as Item).text === 'string' ? String((c as Item).text) : '')).join('\n');
}

function parseArgs(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw ?? {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return { input: raw };
  }
}

/** Responses `input` items → messages with text, tool_use and tool_result blocks. */
function messagesOf(input: unknown): MockMessage[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input)) return [];
  const out: MockMessage[] = [];
  for (const item of input as Item[]) {
    if (item.type === 'message' && (item.role === 'user' || item.role === 'assistant')) {
      out.push({ role: item.role, content: [{ type: 'text', text: textOf(item.content) }] });
    } else if (item.type === 'function_call' || item.type === 'custom_tool_call' || item.type === 'local_shell_call') {
      const input = item.type === 'local_shell_call' ? (item.action ?? {}) : parseArgs(item.arguments ?? item.input);
      out.push({ role: 'assistant', content: [{ type: 'tool_use', id: String(item.call_id), name: String(item.name ?? 'local_shell'), input }] });
    } else if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') {
      const output = item.output as unknown;
      const text = typeof output === 'string' ? output : textOf((output as Item | undefined)?.content ?? output);
      out.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: String(item.call_id), content: text }] });
    }
  }
  return out;
}

function outputItems(msg: BuiltMessage): Item[] {
  return msg.content.map((b, i) =>
    b.type === 'text'
      ? { type: 'message', id: `${msg.id}_${i}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: b.text, annotations: [] }] }
      : { type: 'function_call', id: `${msg.id}_${i}`, status: 'completed', call_id: b.id, name: b.name, arguments: JSON.stringify(b.input) },
  );
}

function response(msg: BuiltMessage, status: string, output: Item[]): Item {
  const { input_tokens, output_tokens } = msg.usage;
  return {
    id: msg.id,
    object: 'response',
    status,
    model: msg.model,
    output,
    usage: {
      input_tokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: input_tokens + output_tokens,
    },
  };
}

export const openAiResponses: MockProtocol = {
  isModelCall: (method, path) => method === 'POST' && path.endsWith('/responses'),
  view(_path, _query, body): RequestView {
    const tools = Array.isArray(body.tools) ? (body.tools as Item[]) : [];
    return {
      model: typeof body.model === 'string' ? body.model : '',
      stream: body.stream === true,
      system: body.instructions,
      messages: messagesOf(body.input),
      tools: tools.map((t) => ({ name: String(t.name ?? t.type), description: typeof t.description === 'string' ? t.description : undefined, input_schema: t.parameters })),
    };
  },
  events(msg) {
    const items = outputItems(msg);
    const events: Array<{ event: string; data: Item }> = [
      { event: 'response.created', data: { type: 'response.created', response: response(msg, 'in_progress', []) } },
    ];
    items.forEach((item, output_index) => {
      events.push({ event: 'response.output_item.added', data: { type: 'response.output_item.added', output_index, item: { ...item, status: 'in_progress' } } });
      const block = msg.content[output_index];
      if (block?.type === 'text') {
        for (const delta of chunkText(block.text)) {
          events.push({ event: 'response.output_text.delta', data: { type: 'response.output_text.delta', item_id: item.id, output_index, content_index: 0, delta } });
        }
      }
      events.push({ event: 'response.output_item.done', data: { type: 'response.output_item.done', output_index, item } });
    });
    events.push({ event: 'response.completed', data: { type: 'response.completed', response: response(msg, 'completed', items) } });
    return events;
  },
  whole: (msg) => response(msg, 'completed', outputItems(msg)),
  error: (_status, type, message) => ({ error: { type, message, code: type } }),
};
