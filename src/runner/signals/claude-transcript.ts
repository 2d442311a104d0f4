// What Claude Code's hooks do not carry, read from the session's transcript (a JSONL file it names
// in every hook payload): a turn's result when Stop has no `last_assistant_message` (absent in some
// versions), and the session's tokens (no hook carries them), tallied as it grows (jsonl-tally.ts).
// Only the transcript's tail is read. Claude Code 2.1.197 writes a turn's last message there
// only after the Stop hook has run: what is read at Stop may lack it, and the status line's next
// `usage` signal (which comes after it) reads the totals again.
import { z } from 'zod';
import type { AgentSignal } from '../../core/signal.js';
import { inputOf, UsageSchema } from '../parsers/claude-stream-json.js';
import { jsonLines, jsonlTally, readWholeLines, safeJsonlPath, summedTokens, type MessageTokens } from './jsonl-tally.js';

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

/** Each message's usage once (its lines repeat it, growing as it streams), by message id. */
const tokenTally = jsonlTally(
  () => new Map<string, MessageTokens>(),
  (byMessage, json) => {
    const e = EntrySchema.safeParse(json);
    if (e.success && e.data.message.usage) byMessage.set(e.data.message.id ?? `#${byMessage.size}`, { input: inputOf(e.data.message.usage), output: e.data.message.usage.output_tokens ?? 0 });
  },
);

/** The session's tokens so far: each message's usage once, summed. */
export function claudeSessionTokens(transcriptPath: string | undefined, tailBytes = TRANSCRIPT_TAIL_BYTES): { inputTokens: number; outputTokens: number } | undefined {
  const byMessage = tokenTally(transcriptPath, tailBytes);
  return byMessage && summedTokens(byMessage);
}

/** The assistant entries in the transcript's tail, oldest first; undefined when there is none to read. */
function assistantEntries(path: string | undefined, tailBytes: number): Entry[] | undefined {
  if (!safeJsonlPath(path)) return undefined;
  try {
    return jsonLines(readWholeLines(path, 0, tailBytes).text).flatMap((json) => {
      const entry = EntrySchema.safeParse(json);
      return entry.success ? [entry.data] : [];
    });
  } catch {
    return undefined;
  }
}
