// What Claude Code's hooks do not carry, read from the session's transcript (a JSONL file it names
// in every hook payload): a turn's result when Stop has no `last_assistant_message` (absent in some
// versions), and the session's tokens (no hook carries them). The transcript grows with the whole
// conversation, so only its tail is read. Claude Code 2.1.197 writes a turn's last message there
// only after the Stop hook has run: what is read at Stop may lack it, and the status line's next
// `usage` signal (which comes after it) reads the totals again.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { AgentSignal } from '../../core/signal.js';
import { inputOf, UsageSchema } from '../parsers/claude-stream-json.js';

/** How much of the transcript's end is read: a last message longer than this is not found, and
 *  tokens of messages before it are not counted. */
export const TRANSCRIPT_TAIL_BYTES = 4 * 1024 * 1024;

const EntrySchema = z.object({
  type: z.literal('assistant'),
  message: z.object({
    id: z.string().optional().catch(undefined),
    content: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
    usage: UsageSchema.optional().catch(undefined),
  }),
});
type Entry = z.output<typeof EntrySchema>;

/** The result of the turn a `turn-end` signal ended: its own, or the transcript's last assistant text. */
export function claudeTurnResult(signal: Pick<AgentSignal, 'result' | 'transcriptPath'>, tailBytes = TRANSCRIPT_TAIL_BYTES): string | undefined {
  if (signal.result !== undefined) return signal.result;
  // Claude Code writes one line per content block; the last one with text is the answer.
  const entries = assistantEntries(signal.transcriptPath, tailBytes) ?? [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const text = entries[i]!.message.content.flatMap((b) => (b.type === 'text' && b.text ? [b.text] : [])).join('\n');
    if (text) return text;
  }
  return undefined;
}

/** A transcript's token tally so far: read on from `offset` each time, never again from its start
 *  (the status line asks several times a second while the model streams). */
interface Tally {
  offset: number;
  byMessage: Map<string, { input: number; output: number }>;
}
const tallies = new Map<string, Tally>();
/** Tallies kept (sessions of tasks open at once); the least recently read goes first. */
const MAX_TALLIES = 64;

/** The session's tokens so far: each message's usage once (its lines repeat it), summed. */
export function claudeSessionTokens(transcriptPath: string | undefined, tailBytes = TRANSCRIPT_TAIL_BYTES): { inputTokens: number; outputTokens: number } | undefined {
  if (!safePath(transcriptPath)) return undefined;
  let tally = tallies.get(transcriptPath);
  tallies.delete(transcriptPath);
  let chunk: { text: string; end: number; size: number };
  try {
    chunk = readFrom(transcriptPath, tally?.offset ?? 0, tailBytes);
  } catch {
    return undefined;
  }
  // A transcript shorter than what was read (replaced) is tallied again from its tail.
  if (!tally || chunk.size < tally.offset) tally = { offset: 0, byMessage: new Map() };
  tally.offset = chunk.end;
  for (const e of entriesOf(chunk.text.split('\n'))) {
    if (e.message.usage) tally.byMessage.set(e.message.id ?? `#${tally.byMessage.size}`, { input: inputOf(e.message.usage), output: e.message.usage.output_tokens ?? 0 });
  }
  tallies.set(transcriptPath, tally);
  if (tallies.size > MAX_TALLIES) tallies.delete(tallies.keys().next().value!);
  let inputTokens = 0;
  let outputTokens = 0;
  for (const u of tally.byMessage.values()) {
    inputTokens += u.input;
    outputTokens += u.output;
  }
  return { inputTokens, outputTokens };
}

/** The path comes from the agent: only an absolute .jsonl file is opened. */
const safePath = (path: string | undefined): path is string => !!path && isAbsolute(path) && path.endsWith('.jsonl');

/** The assistant entries in the transcript's tail, oldest first; undefined when there is none to read. */
function assistantEntries(path: string | undefined, tailBytes: number): Entry[] | undefined {
  if (!safePath(path)) return undefined;
  try {
    return entriesOf(readFrom(path, 0, tailBytes).text.split('\n'));
  } catch {
    return undefined;
  }
}

function entriesOf(lines: string[]): Entry[] {
  const entries: Entry[] = [];
  for (const line of lines) {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      continue; // the cut first line, or a line being written
    }
    const entry = EntrySchema.safeParse(json);
    if (entry.success) entries.push(entry.data);
  }
  return entries;
}

/** The file's whole lines from `offset` on, at most its last `maxBytes`; `end` is where the next
 *  read starts (a line being written is left for it). */
function readFrom(path: string, offset: number, maxBytes: number): { text: string; end: number; size: number } {
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
