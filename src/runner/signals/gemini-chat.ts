// What Gemini CLI's hooks do not carry: the session's tokens. Every hook names the session's chat
// file (transcript_path, JSONL), where Gemini CLI 0.61.0 writes each model response as
// {"id":…,"type":"gemini",…,"tokens":{"input","output","cached","thoughts","tool","total"}}, again
// (same id) when its tool calls are added. Each response's tokens are counted once, summed.
// input counts cached input too; thoughts are output the model was billed for, tool is input.
import { z } from 'zod';
import { jsonlTally, summedTokens, type MessageTokens } from './jsonl-tally.js';

/** How much of the chat file's end is read the first time. */
export const CHAT_TAIL_BYTES = 4 * 1024 * 1024;

const count = z.number().int().nonnegative();
const ResponseSchema = z.object({
  id: z.string(),
  type: z.literal('gemini'),
  tokens: z.object({ input: count, output: count, thoughts: count.optional(), tool: count.optional() }),
});

const byResponse = jsonlTally(
  () => new Map<string, MessageTokens>(),
  (tally, json) => {
    const r = ResponseSchema.safeParse(json);
    if (!r.success) return;
    const t = r.data.tokens;
    tally.set(r.data.id, { input: t.input + (t.tool ?? 0), output: t.output + (t.thoughts ?? 0) });
  },
);

/** The session's tokens so far; undefined when the chat file cannot be read. */
export function geminiSessionTokens(chatPath: string | undefined, tailBytes = CHAT_TAIL_BYTES): { inputTokens: number; outputTokens: number } | undefined {
  const tally = byResponse(chatPath, tailBytes);
  return tally && summedTokens(tally);
}
