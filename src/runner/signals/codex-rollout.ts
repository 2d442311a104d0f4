// What Codex's hooks do not carry: the session's tokens. Its Stop hook names the session's rollout
// file (transcript_path, JSONL), where Codex 0.171.0 writes a token_count event after each model
// response: {"type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":
// {"input_tokens":…,"cached_input_tokens":…,"output_tokens":…,…},…}}}. The totals are the whole
// session's (a resumed session's go on from its earlier turns), so the last one is the answer.
// input_tokens counts cached input too, output_tokens reasoning too (the Responses API's usage).
import { z } from 'zod';
import { jsonlTally } from './jsonl-tally.js';

/** How much of the rollout's end is read the first time: its last token_count is in it. */
export const ROLLOUT_TAIL_BYTES = 1024 * 1024;

const count = z.number().int().nonnegative();
const TokenCountSchema = z.object({
  type: z.literal('event_msg'),
  // info is null in a token_count that reports only rate limits.
  payload: z.object({ type: z.literal('token_count'), info: z.object({ total_token_usage: z.object({ input_tokens: count, output_tokens: count }) }) }),
});

const totals = jsonlTally<{ inputTokens?: number; outputTokens?: number }>(
  () => ({}),
  (tally, json) => {
    const event = TokenCountSchema.safeParse(json);
    if (!event.success) return;
    const { input_tokens, output_tokens } = event.data.payload.info.total_token_usage;
    Object.assign(tally, { inputTokens: input_tokens, outputTokens: output_tokens });
  },
);

/** The session's tokens so far; undefined when the rollout cannot be read or holds no count yet. */
export function codexSessionTokens(rolloutPath: string | undefined, tailBytes = ROLLOUT_TAIL_BYTES): { inputTokens: number; outputTokens: number } | undefined {
  const { inputTokens, outputTokens } = totals(rolloutPath, tailBytes) ?? {};
  return inputTokens === undefined || outputTokens === undefined ? undefined : { inputTokens, outputTokens };
}
