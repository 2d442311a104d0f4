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

/**
 * What a person watching the task's pane should see of one line: the pane renderer
 * (src/runner/pane-render.ts) draws these, whatever the format. This is the extension point for a
 * new format: its parser calls `show` (LineParser) where it reads a line worth showing, and the
 * pane renders it with no code of its own; a line the parser does not show never reaches the pane
 * (a line that is not JSON is shown as `note`, by LineParser).
 */
export type Shown =
  /** The assistant's own words (may hold several lines). */
  | { kind: 'text'; text: string }
  /** A tool call, as in ParseState.step: "Read src/auth.ts". */
  | { kind: 'step'; step: string }
  /** A tool call failed; the agent goes on. */
  | { kind: 'tool-error'; message: string }
  /** The run's final answer; tokens and cost are in the parser's state by then. */
  | { kind: 'result'; text: string; isError: boolean }
  /** The agent reported an error. */
  | { kind: 'error'; message: string }
  /** A line of the stream that is not JSON (a warning on stderr). */
  | { kind: 'note'; text: string };

export interface ParserOptions {
  /** Called with what the pane should show, as lines are read (the pane renderer sets it). */
  onShow?: (shown: Shown) => void;
  /**
   * The agent's working directory, to show file paths relative to it. The claude parser also learns
   * it from the stream's `system/init` line.
   */
  cwd?: string;
  /** Longest line handled, in characters; the rest of a longer line is dropped. Default 1 MiB. */
  maxLineLength?: number;
}
