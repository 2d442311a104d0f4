import type { BuiltMessage } from './reply.js';
import type { RecordedRequest } from './types.js';

/** The part of a recorded request a protocol reads from the body (the rest is the server's). */
export type RequestView = Pick<RecordedRequest, 'model' | 'stream' | 'system' | 'messages' | 'tools'>;

/**
 * One wire protocol the mock server speaks. Scripts and recorded requests stay in the Messages
 * shape (MockReply in, messages with tool_use / tool_result blocks): a protocol only translates the
 * request into that shape and the built message out of it, so every test helper works for all.
 */
export interface MockProtocol {
  /** Whether `METHOD path` (query string removed) asks the model for a reply. */
  isModelCall(method: string, path: string, query: string): boolean;
  view(path: string, query: string, body: Record<string, unknown>): RequestView;
  /** The SSE events of a streamed reply; `event` omitted means a bare `data:` line. */
  events(msg: BuiltMessage): Array<{ event?: string; data: unknown }>;
  /** The body of a non-streamed reply. */
  whole(msg: BuiltMessage): unknown;
  /** The JSON error body for `status`. */
  error(status: number, type: string, message: string): unknown;
}
