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

/** The session's tokens so far: each message's usage once (its lines repeat it), summed. */
export function claudeSessionTokens(transcriptPath: string | undefined, tailBytes = TRANSCRIPT_TAIL_BYTES): { inputTokens: number; outputTokens: number } | undefined {
  const entries = assistantEntries(transcriptPath, tailBytes);
  if (!entries) return undefined;
  const byMessage = new Map<string, { input: number; output: number }>();
  entries.forEach((e, i) => {
    if (e.message.usage) byMessage.set(e.message.id ?? `#${i}`, { input: inputOf(e.message.usage), output: e.message.usage.output_tokens ?? 0 });
  });
  let inputTokens = 0;
  let outputTokens = 0;
  for (const u of byMessage.values()) {
    inputTokens += u.input;
    outputTokens += u.output;
  }
  return { inputTokens, outputTokens };
}

/** The assistant entries in the transcript's tail, oldest first; undefined when there is no transcript
 *  safe to read (the path comes from the agent: only an absolute .jsonl file is opened). */
function assistantEntries(path: string | undefined, tailBytes: number): Entry[] | undefined {
  if (!path || !isAbsolute(path) || !path.endsWith('.jsonl')) return undefined;
  let tail: string;
  try {
    tail = readTail(path, tailBytes);
  } catch {
    return undefined;
  }
  const entries: Entry[] = [];
  for (const line of tail.split('\n')) {
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

function readTail(path: string, maxBytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buf = Buffer.alloc(length);
    const got = readSync(fd, buf, 0, length, size - length);
    return buf.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
