// Codex CLI as an interactive agent: its `notify` program reports each finished turn into the task
// folder, and the normaliser turns that line into an AgentSignal (src/core/signal.ts).
//
// `notify` (config.toml, documented) runs a program with the event as JSON in its LAST ARGUMENT:
// {"type":"agent-turn-complete","thread-id","turn-id","cwd","input-messages":[…],
//  "last-assistant-message":"…"}. It is given for one task with `-c notify=[…]` (a config override
// on the command line), so ~/.codex/config.toml is never touched. A bash one-liner pipes that
// argument into signal-hook.sh, which writes {"hook":"notify","at":MS,"payload":<JSON>}.
// Codex 0.171.0 also has Claude-like lifecycle hooks behind the `codex_hooks` feature (SessionStart,
// UserPromptSubmit, PreToolUse, PermissionRequest, PostToolUse, Stop; seen in the binary, not
// tried yet): until they are, notify gives only `turn-end`, with the turn's result.
import { z } from 'zod';
import { AgentSignalSchema, type AgentSignal } from '../../core/signal.js';
import { SIGNAL_HOOK_SCRIPT } from './claude.js';
import { parseJsonLine, type SignalAdapter } from './index.js';

/** bash -c SCRIPT HOOK FILE <payload appended by codex>: $0 = hook script, $1 = file, $2 = payload. */
const NOTIFY_SHELL = 'printf %s "$2" | exec bash "$0" notify "$1"';

/** The `-c notify=[…]` override: a TOML array of strings (JSON string literals are valid TOML). */
export function codexNotifyArgv(signalsFile: string, hookScript = SIGNAL_HOOK_SCRIPT): string[] {
  return ['-c', `notify=${JSON.stringify(['bash', '-c', NOTIFY_SHELL, hookScript, signalsFile])}`];
}

const LineSchema = z.object({
  hook: z.literal('notify'),
  at: z.number().int().nonnegative(),
  payload: z.looseObject({
    type: z.string(),
    'thread-id': z.string().optional(),
    'last-assistant-message': z.string().nullable().optional(),
    'input-messages': z.array(z.string()).optional().catch(undefined),
  }),
});

/**
 * The TUI (client codex-tui, 0.171.0) names each new conversation in a side thread of its own, and
 * that thread's turn fires notify too, ~0.4 s before the real turn's: it is not the task's turn.
 * Seen in test/fixtures/codex-0.171.0-tui-notify.jsonl; the prompt is codex's own text.
 */
const TITLE_TURN = /^Generate a concise, single-line task title/;

/** One raw line of the signals file → a signal, or null for anything else. */
export function readCodexSignal(line: string): AgentSignal | null {
  const parsed = LineSchema.safeParse(parseJsonLine(line));
  if (!parsed.success || parsed.data.payload.type !== 'agent-turn-complete') return null;
  if (TITLE_TURN.test(parsed.data.payload['input-messages']?.[0] ?? '')) return null;
  const { at, payload } = parsed.data;
  const signal = { kind: 'turn-end', at, sessionId: payload['thread-id'], result: payload['last-assistant-message'] ?? undefined };
  const valid = AgentSignalSchema.safeParse(Object.fromEntries(Object.entries(signal).filter(([, v]) => v !== undefined)));
  return valid.success ? valid.data : null;
}

export const codexSignals: SignalAdapter = {
  wire: (_taskDir, signalsFile) => ({ argv: codexNotifyArgv(signalsFile), env: {}, files: {} }),
  read: readCodexSignal,
};
