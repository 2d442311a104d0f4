import type { MockReply, MockToolUse, RecordedRequest } from './types.js';

/** A finished assistant message as the Messages API returns it. */
export interface BuiltMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: Array<
    | { type: 'text'; text: string }
    | { type: 'tool_use'; id: string; name: string; input: unknown }
  >;
  stop_reason: string;
  stop_sequence: null;
  usage: { input_tokens: number; output_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number };
}

let counter = 0;
const nextId = (prefix: string): string => `${prefix}_mock_${(++counter).toString().padStart(6, '0')}`;

const estimateTokens = (chars: number): number => Math.max(1, Math.ceil(chars / 4));

/** Turns a scripted reply into the message a real API would send for this request. */
export function buildMessage(reply: MockReply, req: RecordedRequest, bodyChars: number): BuiltMessage {
  const offered = new Set(req.tools.map((t) => t.name));
  const wanted: MockToolUse[] = reply.toolUse === undefined ? [] : Array.isArray(reply.toolUse) ? reply.toolUse : [reply.toolUse];
  const calls = wanted.filter((t) => offered.has(t.name));

  const content: BuiltMessage['content'] = [];
  let text = reply.text;
  // A reply must say something: a dropped tool call or an empty step still yields text.
  if (text === undefined && calls.length === 0) text = 'OK.';
  if (text !== undefined && text !== '') content.push({ type: 'text', text });
  for (const call of calls) content.push({ type: 'tool_use', id: call.id ?? nextId('toolu'), name: call.name, input: call.input ?? {} });

  const outChars = content.reduce((n, b) => n + (b.type === 'text' ? b.text.length : JSON.stringify(b.input).length), 0);
  return {
    id: nextId('msg'),
    type: 'message',
    role: 'assistant',
    model: req.model || 'mock-model',
    content,
    stop_reason: reply.stopReason ?? (calls.length > 0 ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage: {
      input_tokens: reply.usage?.input_tokens ?? estimateTokens(bodyChars),
      output_tokens: reply.usage?.output_tokens ?? estimateTokens(outChars),
      // Real responses carry the cache counters too; some clients read them unconditionally.
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  };
}

/** Splits text into small pieces (a few words each) so a stream has several deltas. */
export function chunkText(text: string): string[] {
  const pieces = text.match(/\S+\s*|\s+/g) ?? [text];
  const chunks: string[] = [];
  for (let i = 0; i < pieces.length; i += 3) chunks.push(pieces.slice(i, i + 3).join(''));
  return chunks.length > 0 ? chunks : [''];
}

/** The SSE events of a message, in the order the real API sends them. */
export function sseEvents(msg: BuiltMessage): Array<{ event: string; data: unknown }> {
  const events: Array<{ event: string; data: unknown }> = [];
  events.push({
    event: 'message_start',
    data: {
      type: 'message_start',
      message: { ...msg, content: [], stop_reason: null, usage: { ...msg.usage, output_tokens: 1 } },
    },
  });
  msg.content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { type: 'text', text: '' } } });
      for (const piece of chunkText(block.text)) {
        events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } } });
      }
    } else {
      events.push({
        event: 'content_block_start',
        data: { type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } },
      });
      events.push({
        event: 'content_block_delta',
        data: { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } },
      });
    }
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  });
  events.push({
    event: 'message_delta',
    data: { type: 'message_delta', delta: { stop_reason: msg.stop_reason, stop_sequence: null }, usage: { output_tokens: msg.usage.output_tokens } },
  });
  events.push({ event: 'message_stop', data: { type: 'message_stop' } });
  return events;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export function errorType(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}
