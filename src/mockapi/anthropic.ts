import type { MockProtocol } from './protocol.js';
import { sseEvents } from './reply.js';
import type { MockMessage, RecordedRequest } from './types.js';

/** The Anthropic Messages API (`POST /v1/messages`): the mock's own shape, passed through. */
export const anthropicMessages: MockProtocol = {
  isModelCall: (method, path) => method === 'POST' && path === '/v1/messages',
  view: (_path, _query, body) => ({
    model: typeof body.model === 'string' ? body.model : '',
    stream: body.stream === true,
    system: body.system,
    messages: Array.isArray(body.messages) ? (body.messages as MockMessage[]) : [],
    tools: Array.isArray(body.tools) ? (body.tools as RecordedRequest['tools']) : [],
  }),
  events: sseEvents,
  whole: (msg) => msg,
  error: (_status, type, message) => ({ type: 'error', error: { type, message } }),
};
