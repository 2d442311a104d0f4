// Claude Code as an interactive agent in a task's pane: how its TUI is started, the per-session
// hook settings that make it report its own state into the task folder, and the normaliser that
// turns each hook line into a vendor-neutral AgentSignal (src/core/signal.ts).
//
// Every hook runs signal-hook.sh, which appends {"hook":EVENT,"at":MS,"payload":<Claude's JSON>}
// to <taskdir>/signals.jsonl. The settings go to the session with `--settings FILE`, so the user's
// own ~/.claude/settings.json is never touched. The prompt is not in argv (`ps` would show it):
// the TUI starts empty and the prompt is delivered as input (src/tmux/input.ts) once the
// `session` signal says the TUI is up. Facts measured on Claude Code 2.1.197, offline (see
// test/agents/claude-interactive.test.ts):
//  - PermissionRequest fires ~0.1 s after PreToolUse, as the permission dialog shows, and names the
//    tool and its input; Notification `permission_prompt` follows only ~6 s later, with a generic
//    message ("Claude needs your permission"). Both mean `waiting`; the first carries the question.
//  - Nothing fires when the person answers; the step's PostToolUse (or PostToolUseFailure when it
//    is refused or fails) is the next signal.
//  - Stop carries `last_assistant_message`: the turn's result.
//  - No hook carries tokens or cost. The status line command gets the session's cost
//    (`cost.total_cost_usd`) after each change of the conversation, the last one after Stop: it is
//    wired to the same script (which prints nothing, so the line stays empty) as a `usage` signal;
//    tokens are summed from the transcript (claude-transcript.ts) at Stop and at each `usage`.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AgentSignalSchema, type AgentSignal } from '../../core/signal.js';
import { shellQuote } from '../../core/text.js';
import { toolTarget } from '../parsers/tool-step.js';
import { claudeSessionTokens, claudeTurnResult } from './claude-transcript.js';

export const CLAUDE_SETTINGS_FILE = 'claude-settings.json';
/** dist/runner/signal-hook.sh (scripts/copy-assets.mjs puts it there). */
export const SIGNAL_HOOK_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'signal-hook.sh');

/** Claude Code hook events we listen to, with the matcher each needs (tool events: every tool). */
const HOOKS: ReadonlyArray<{ event: string; matcher?: string }> = [
  { event: 'SessionStart' },
  { event: 'UserPromptSubmit' },
  { event: 'PreToolUse', matcher: '*' },
  { event: 'PostToolUse', matcher: '*' },
  { event: 'PostToolUseFailure', matcher: '*' },
  { event: 'PermissionRequest', matcher: '*' },
  // idle_prompt (60 s after a turn) and auth_success say nothing about the task's state.
  { event: 'Notification', matcher: 'permission_prompt|elicitation_dialog' },
  { event: 'Stop' },
  { event: 'SessionEnd' },
];

/** A hook that hangs (a stuck disk) must not hold the agent for Claude Code's default 600 s. */
const HOOK_TIMEOUT_S = 10;

/** The `--settings` JSON for one task: every hook, and the status line, append to `signalsFile`. */
export function claudeSettings(signalsFile: string, hookScript = SIGNAL_HOOK_SCRIPT): { hooks: Record<string, unknown[]>; statusLine: { type: 'command'; command: string } } {
  // A command string is unavoidable here (Claude Code runs it with a shell): it holds only our
  // script path, the event name and the task folder's path, each quoted; no user text.
  const command = (event: string) => [hookScript, event, signalsFile].map(shellQuote).join(' ');
  const hooks: Record<string, unknown[]> = {};
  for (const { event, matcher } of HOOKS) {
    hooks[event] = [{ ...(matcher ? { matcher } : {}), hooks: [{ type: 'command', command: command(event), timeout: HOOK_TIMEOUT_S }] }];
  }
  return { hooks, statusLine: { type: 'command', command: command('StatusLine') } };
}

/**
 * The signal adapter of Claude Code (the shape of SignalAdapter in signals/index.ts): `wire` gives
 * what a task's start gains (`--settings <taskDir>/claude-settings.json` and that file's content),
 * `read` turns one signals.jsonl line into a signal.
 */
export const claudeSignals = {
  wire(taskDir: string, signalsFile: string): { argv: string[]; env: Record<string, string>; files: Record<string, string> } {
    const settings = `${JSON.stringify(claudeSettings(signalsFile), null, 2)}\n`;
    return { argv: ['--settings', join(taskDir, CLAUDE_SETTINGS_FILE)], env: {}, files: { [CLAUDE_SETTINGS_FILE]: settings } };
  },
  read: (line: string): AgentSignal | null => claudeSignal(line),
};

// Each field is read leniently (a wrong type is as good as absent): one odd field must not cost
// the whole signal.
const str = z.string().optional().catch(undefined);

const PayloadSchema = z.looseObject({
  session_id: str,
  transcript_path: str,
  cwd: str,
  tool_name: str,
  tool_input: z.unknown().optional(),
  message: str,
  notification_type: str,
  last_assistant_message: str,
  cost: z.looseObject({ total_cost_usd: z.number().nonnegative().optional().catch(undefined) }).optional().catch(undefined),
});
type Payload = z.output<typeof PayloadSchema>;

const LineSchema = z.object({
  hook: z.string(),
  at: z.number().int().nonnegative(),
  // null when the hook got no JSON, or a payload too large to keep (signal-hook.sh).
  payload: PayloadSchema.nullable(),
});

/** A tool that asks the person a question instead of doing something. */
const QUESTION_TOOLS = new Set(['AskUserQuestion']);

/** One line of signals.jsonl written by Claude Code's hooks → a signal; null for anything else. */
export function claudeSignal(rawLine: string): AgentSignal | null {
  let json: unknown;
  try {
    json = JSON.parse(rawLine);
  } catch {
    return null;
  }
  const line = LineSchema.safeParse(json);
  if (!line.success) return null;
  const { hook, at } = line.data;
  const p: Payload = line.data.payload ?? {};
  const fields = toSignal(hook, p);
  if (!fields) return null;
  const signal = AgentSignalSchema.safeParse({ at, ...(p.session_id ? { sessionId: p.session_id } : {}), ...fields });
  return signal.success ? signal.data : null;
}

type Fields = Omit<z.input<typeof AgentSignalSchema>, 'at'>;

function toSignal(hook: string, p: Payload): Fields | null {
  const tool = p.tool_name;
  const target = tool ? toolTarget(tool, p.tool_input, p.cwd) : undefined;
  const step = { ...(tool ? { tool } : {}), ...(target ? { target } : {}) };
  switch (hook) {
    case 'SessionStart':
      return { kind: 'session', ...transcript(p) };
    case 'UserPromptSubmit':
      return { kind: 'prompt' };
    case 'PreToolUse':
      if (tool && QUESTION_TOOLS.has(tool)) return { kind: 'waiting', ...step, ...question(askedQuestion(p.tool_input)) };
      return { kind: 'step', ...step };
    case 'PostToolUse':
    case 'PostToolUseFailure':
      return { kind: 'step-done', ...step };
    case 'PermissionRequest':
      return { kind: 'waiting', ...step, question: `Allow ${tool ?? 'a tool'}${target ? ` \`${target}\`` : ''}?` };
    case 'Notification':
      if (p.notification_type !== 'permission_prompt' && p.notification_type !== 'elicitation_dialog') return null;
      return { kind: 'waiting', ...question(p.message) };
    case 'Stop': {
      const result = claudeTurnResult({ result: p.last_assistant_message, transcriptPath: p.transcript_path });
      return { kind: 'turn-end', ...transcript(p), ...(result !== undefined ? { result } : {}), ...claudeSessionTokens(p.transcript_path) };
    }
    case 'StatusLine': {
      const cost = p.cost?.total_cost_usd;
      return { kind: 'usage', ...(cost !== undefined ? { costUsd: cost } : {}), ...claudeSessionTokens(p.transcript_path) };
    }
    case 'SessionEnd':
      return { kind: 'session-end' };
    default:
      return null;
  }
}

const transcript = (p: Payload) => (p.transcript_path ? { transcriptPath: p.transcript_path } : {});
const question = (q: string | undefined) => (q?.trim() ? { question: q.trim() } : {});

/** AskUserQuestion's input: {questions: [{question: "…", options: […]}, …]}; the first question. */
function askedQuestion(input: unknown): string | undefined {
  const parsed = z.object({ questions: z.array(z.object({ question: z.string() })).min(1) }).safeParse(input);
  return parsed.success ? parsed.data.questions[0]!.question : undefined;
}
