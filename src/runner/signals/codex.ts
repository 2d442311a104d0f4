// Codex CLI as an interactive agent: its lifecycle hooks (the `codex_hooks` feature) report into the
// task folder, and the normaliser turns each line into an AgentSignal (src/core/signal.ts).
//
// Facts measured on Codex 0.171.0, offline (test/agents/codex-live.test.ts):
//  - The hooks are given for one task with `-c hooks={…}` (a config override on the command line,
//    TOML inline tables), so ~/.codex/config.toml is never touched. Each runs signal-hook.sh, which
//    appends {"hook":EVENT,"at":MS,"payload":<Codex's JSON on stdin>}.
//  - Hooks Codex has not seen before wait for the person's review in a "Hooks need review" dialog
//    (trust is kept per hook in config.toml): ours name a task's own signals file, so each task's
//    would be new. `--dangerously-bypass-hook-trust` runs them unreviewed for this invocation; the
//    only hooks it concerns are ours (written here) and those of configs the person already has.
//  - The payloads are Claude Code's shape (session_id, tool_name, tool_input, prompt,
//    last_assistant_message): SessionStart (source startup|resume), UserPromptSubmit, PreToolUse
//    (Bash with tool_input.command), PermissionRequest as the approval dialog shows, PostToolUse,
//    Stop. They read as Claude Code's do (claude.ts), except transcript_path, which names a Codex
//    rollout file, not a Claude transcript: Stop's result is its last_assistant_message, and the
//    session's tokens are read from the rollout (codex-rollout.ts).
import type { AgentSignal } from '../../core/signal.js';
import { shellQuote } from '../../core/text.js';
import { claudeSignal, SIGNAL_HOOK_SCRIPT } from './claude.js';
import { codexSessionTokens } from './codex-rollout.js';
import { parseJsonLine, type SignalAdapter } from './index.js';

const HOOKS = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'PostToolUse', 'Stop'] as const;

/** Codex runs a hook's command with a shell: our words, each quoted. The `-c hooks={…}` override: JSON string literals are valid TOML strings; no user text in it. */
export function codexHooksArgv(signalsFile: string, hookScript = SIGNAL_HOOK_SCRIPT): string[] {
  const command = (event: string) => JSON.stringify(['bash', hookScript, event, signalsFile].map(shellQuote).join(' '));
  const events = HOOKS.map((e) => `${e}=[{hooks=[{type="command",command=${command(e)},timeout=10}]}]`);
  return ['--dangerously-bypass-hook-trust', '-c', 'features.codex_hooks=true', '-c', `hooks={${events.join(',')}}`];
}

/** One raw line of the signals file → a signal, or null for anything else. */
export function readCodexSignal(line: string): AgentSignal | null {
  const json = parseJsonLine(line);
  if (typeof json !== 'object' || json === null) return null;
  const { payload } = json as { payload?: unknown };
  if (typeof payload !== 'object' || payload === null) return claudeSignal(line);
  const { transcript_path: rollout, ...rest } = payload as Record<string, unknown>;
  const signal = claudeSignal(JSON.stringify({ ...json, payload: rest }));
  if (signal?.kind !== 'turn-end') return signal;
  return { ...signal, ...codexSessionTokens(typeof rollout === 'string' ? rollout : undefined) };
}

export const codexSignals: SignalAdapter = {
  wire: (_taskDir, signalsFile) => ({ argv: codexHooksArgv(signalsFile), env: {}, files: {} }),
  read: readCodexSignal,
};
