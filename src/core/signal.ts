// What an interactive agent tells us about itself through its own hooks (Claude Code hooks, Codex's
// notify program, Gemini CLI hooks, an OpenCode plugin), normalised to one vendor-neutral shape.
// Each vendor's adapter (src/runner/signals/) turns its raw hook payloads into these; the attempt
// reads them to know the agent's state exactly, without reading the screen.
import { z } from 'zod';

export const SIGNAL_KINDS = [
  /** The agent's session began (or resumed); carries its session id. */
  'session',
  /** A prompt was submitted (the first message, a `send`, or the person typing): a turn begins. */
  'prompt',
  /** A tool step began; `tool` and `target` say what. */
  'step',
  /** A tool step finished. */
  'step-done',
  /** The agent asks the person something (a permission prompt, a question): `question`. */
  'waiting',
  /** A turn ended; `result` is its final assistant text when the vendor gives it. */
  'turn-end',
  /** The agent's session ended (it is exiting). */
  'session-end',
  /** The session's running totals so far: tokens and cost (they may come after the turn's end). */
  'usage',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

const short = (max: number) => z.string().transform((s) => s.slice(0, max));

export const AgentSignalSchema = z.object({
  kind: z.enum(SIGNAL_KINDS),
  /** Epoch ms when the hook ran. */
  at: z.number().int().nonnegative(),
  sessionId: short(200).optional(),
  tool: short(80).optional(),
  target: short(200).optional(),
  question: short(500).optional(),
  result: z.string().max(1_000_000).optional(),
  /** Where the full transcript is, when the vendor says (to read a result it did not give). */
  transcriptPath: short(4096).optional(),
  inputTokens: z.number().int().nonnegative().optional(),
  outputTokens: z.number().int().nonnegative().optional(),
  costUsd: z.number().nonnegative().optional(),
});
export type AgentSignal = z.output<typeof AgentSignalSchema>;
