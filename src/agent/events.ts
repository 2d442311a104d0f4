import fs from 'node:fs';
import path from 'node:path';

/**
 * The built-in agent's events file: one JSON object per line, appended. The runner's parser for
 * the built-in agent reads exactly these shapes; change them together.
 */
export type AgentEvent =
  | { type: 'start'; at: number; model: string }
  | { type: 'step'; at: number; step: string; tool: string; input: unknown }
  | { type: 'usage'; at: number; inputTokens: number; outputTokens: number }
  | { type: 'result'; at: number; text: string; isError: boolean }
  | { type: 'error'; at: number; message: string; retryable: boolean; status?: number };

type Unstamped<E> = E extends AgentEvent ? Omit<E, 'at'> : never;

export class EventLog {
  constructor(private readonly file: string | undefined) {
    if (file) fs.mkdirSync(path.dirname(file), { recursive: true });
  }

  /**
   * Appends synchronously: each line is on disk before the agent moves on, so a reader (or a
   * SIGKILL) never sees events out of order or a result that was announced but not written.
   */
  emit(event: Unstamped<AgentEvent>): void {
    if (!this.file) return;
    // `at` right after `type`, as documented, so the lines read well in a terminal.
    const { type, ...rest } = event;
    fs.appendFileSync(this.file, `${JSON.stringify({ type, at: Date.now(), ...rest })}\n`);
  }
}

/** Writes the final answer atomically (tmp + rename) so a watcher never reads half a file. */
export function writeResultFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text.endsWith('\n') ? text : `${text}\n`);
  fs.renameSync(tmp, file);
}
