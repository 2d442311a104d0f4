// The shape every output parser shares: what an agent's output tells us about its progress.

export const OUTPUT_FORMATS = ['plain', 'claude-stream-json', 'opencode-json', 'codex-json', 'gemini-stream-json', 'panecrew-events'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * What has been learnt so far from one task's output. Token counts are totals for the whole run.
 * `result` is the agent's final answer (for `plain`: the tail of the output).
 */
export interface ParseState {
  /** The current step, e.g. "Read src/auth.ts"; at most 80 characters. */
  step?: string;
  toolCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd?: number;
  /** 0–100, when the agent reports it. */
  percent?: number;
  result?: string;
  isError?: boolean;
  errorMessage?: string;
}

/**
 * A stateful parser over an agent's output stream. It never throws: lines it cannot read are skipped.
 *
 * `feed` takes raw bytes (Buffer / Uint8Array, the normal case: appended bytes of output.log) or
 * already-decoded strings. Bytes are decoded as UTF-8 in streaming mode, so a character split across
 * two chunks is joined correctly. A string chunk must hold whole characters. Do not mix the two
 * kinds in one parser: bytes held back by the decoder would be out of order with a string.
 *
 * Only complete lines are handled; a trailing partial line waits for the next chunk or for `end()`.
 */
export interface OutputParser {
  /** Returns true when the state changed. */
  feed(chunk: string | Uint8Array): boolean;
  /** The stream ended: handle a last line that had no newline. Idempotent. */
  end(): boolean;
  readonly state: Readonly<ParseState>;
}

export interface ParserOptions {
  /**
   * The agent's working directory, to show file paths relative to it. The claude parser also learns
   * it from the stream's `system/init` line.
   */
  cwd?: string;
  /** Longest line handled, in characters; the rest of a longer line is dropped. Default 1 MiB. */
  maxLineLength?: number;
}
