// A session file an agent names in its hooks (JSONL, growing with the whole conversation: Claude
// Code's transcript, Codex's rollout), folded line by line into a tally that is read on from where
// the last read stopped, never again from its start: hooks and the status line ask several times a
// second while the model streams. Only the file's tail is read the first time.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isAbsolute } from 'node:path';

/** The path comes from the agent: only an absolute .jsonl file is opened. */
export const safeJsonlPath = (path: string | undefined): path is string => !!path && isAbsolute(path) && path.endsWith('.jsonl');

/** Each line that is JSON, parsed; the cut first line of a tail, or a foreign line, is skipped. */
export function jsonLines(text: string): unknown[] {
  const out: unknown[] = [];
  for (const line of text.split('\n')) {
    try {
      out.push(JSON.parse(line));
    } catch {
      // not JSON: skipped
    }
  }
  return out;
}

/** The file's whole lines from `offset` on, at most its last `maxBytes`; `end` is where the next
 *  read starts (a line being written is left for it). Throws when the file cannot be read. */
export function readWholeLines(path: string, offset: number, maxBytes: number): { text: string; end: number; size: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(offset > size ? 0 : offset, size - maxBytes);
    const buf = Buffer.alloc(size - start);
    const got = readSync(fd, buf, 0, buf.length, start);
    const whole = buf.lastIndexOf(0x0a, got - 1) + 1;
    return { text: buf.subarray(0, whole).toString('utf8'), end: start + whole, size };
  } finally {
    closeSync(fd);
  }
}

/** Tallies kept (sessions of tasks open at once); the least recently read goes first. */
const MAX_TALLIES = 64;

/**
 * A reader that keeps, for each file, a tally started by `fresh` and given each new line's JSON by
 * `add`; it returns the tally up to the file's last whole line, or undefined when the path is not
 * safe or the file cannot be read. A file shorter than what was read (replaced) is tallied anew.
 */
export function jsonlTally<T>(fresh: () => T, add: (tally: T, json: unknown) => void): (path: string | undefined, tailBytes: number) => T | undefined {
  const tallies = new Map<string, { offset: number; tally: T }>();
  return (path, tailBytes) => {
    if (!safeJsonlPath(path)) return undefined;
    let kept = tallies.get(path);
    tallies.delete(path);
    let chunk: ReturnType<typeof readWholeLines>;
    try {
      chunk = readWholeLines(path, kept?.offset ?? 0, tailBytes);
    } catch {
      return undefined;
    }
    if (!kept || chunk.size < kept.offset) kept = { offset: 0, tally: fresh() };
    kept.offset = chunk.end;
    for (const json of jsonLines(chunk.text)) add(kept.tally, json);
    tallies.set(path, kept);
    if (tallies.size > MAX_TALLIES) tallies.delete(tallies.keys().next().value!);
    return kept.tally;
  };
}

/** One model message's tokens (a session's messages are tallied by id: their lines repeat). */
export interface MessageTokens {
  input: number;
  output: number;
}

/** The session's tokens: each message's once, summed. */
export function summedTokens(byMessage: Map<string, MessageTokens>): { inputTokens: number; outputTokens: number } {
  let inputTokens = 0;
  let outputTokens = 0;
  for (const m of byMessage.values()) {
    inputTokens += m.input;
    outputTokens += m.output;
  }
  return { inputTokens, outputTokens };
}
