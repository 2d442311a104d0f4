import type { MockProtocol } from './protocol.js';

/** What the mock server saw for one model call (`POST /v1/messages` or the protocol's), kept for assertions and for scripts. */
export interface RecordedRequest {
  /** 0-based index among the Messages requests this server received. */
  index: number;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  model: string;
  stream: boolean;
  system: unknown;
  messages: MockMessage[];
  /** Tools offered in the request (empty when none). */
  tools: Array<{ name: string; description?: string; input_schema?: unknown }>;
  /** The whole parsed JSON body. */
  body: Record<string, unknown>;
}

export interface MockMessage {
  role: 'user' | 'assistant';
  content: string | Array<Record<string, unknown> & { type: string }>;
}

export interface MockToolUse {
  name: string;
  input: unknown;
  /** Defaults to a fresh `toolu_mock_N` id. */
  id?: string;
}

/**
 * One reply. Fields combine: `text` and `toolUse` give a text block followed by tool_use blocks.
 * A `toolUse` whose tool is not offered in the request is dropped (the reply becomes text only),
 * as a real model cannot call a tool it was not given.
 */
export interface MockReply {
  text?: string;
  toolUse?: MockToolUse | MockToolUse[];
  /** Answer with an Anthropic error JSON instead of a message. */
  error?: MockError;
  /** Pause before each SSE chunk (streams slowly; lets tests cancel mid-stream). */
  delayMs?: number;
  /** Send headers and `message_start`, then never finish (until the client goes away or close()). */
  hang?: boolean;
  /** Override the reported usage; by default it is estimated from the sizes (≈ 4 chars per token). */
  usage?: { input_tokens?: number; output_tokens?: number };
  /** Override stop_reason (default: tool_use when a tool is called, else end_turn). */
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence';
}

export interface MockError {
  status: number;
  /** Anthropic error type, e.g. rate_limit_error, overloaded_error, api_error. Derived from status if absent. */
  type?: string;
  message?: string;
  /** Seconds for the `retry-after` header (sent for 429 and 529; default 1). Fractions are allowed. */
  retryAfter?: number;
}

/**
 * A script decides each reply from the request. A list is consumed one step per request; when it
 * runs out the last step repeats. A function is called for every request.
 */
export type MockScript =
  | MockReply[]
  | ((req: RecordedRequest) => MockReply | Promise<MockReply>);

export interface MockApiOptions {
  /** Port to listen on (default 0: any free port). Always binds 127.0.0.1. */
  port?: number;
  /** The wire protocol (default: the Anthropic Messages API); see openai-responses.ts, gemini.ts. */
  protocol?: MockProtocol;
}

export interface MockApi {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:43210` (use as ANTHROPIC_BASE_URL). */
  url: string;
  port: number;
  /** Every model call received, in order. */
  requests: RecordedRequest[];
  /** Every request of any kind, as `METHOD path`, in order (HEAD /, count_tokens, …). */
  hits: string[];
  close(): Promise<void>;
}
