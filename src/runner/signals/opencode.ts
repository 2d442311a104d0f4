// OpenCode as an interactive agent: a plugin (opencode-plugin.js, copied into the task folder) sees
// its events and appends them to <task>/signals.jsonl; the normaliser turns each line into an
// AgentSignal (src/core/signal.ts).
//
// The plugin is named by OPENCODE_CONFIG_CONTENT, a config OpenCode merges over the person's own
// (global and project opencode.json, which are never touched). Facts measured on OpenCode 1.18.33,
// offline (test/agents/opencode-live.test.ts):
//  - The plugin loads as OpenCode's server starts, before the TUI takes input: `ready` (session).
//  - `chat.message` runs for each submitted prompt with its session id: `prompt`; the first one of
//    a session names it (`session` with the id; --session reopens it, no `session.created` then).
//  - tool.execute.before/after frame each tool call; a call that needs the person's approval
//    raises `permission.asked` after `before` (named by callID); nothing fires on the answer, the
//    call's `after` is next (a refused call has none: the turn's end follows).
//  - `session.idle` ends the turn; its text is the last assistant message's text parts, tokens and
//    cost the session's `message.updated` totals.
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { AgentSignalSchema, type AgentSignal } from '../../core/signal.js';
import { toolTarget } from '../parsers/tool-step.js';
import { parseJsonLine, type SignalAdapter } from './index.js';

export const OPENCODE_PLUGIN_FILE = 'opencode-signals.js';
/** dist/runner/signals/opencode-plugin.js (scripts/copy-assets.mjs puts it there). */
const PLUGIN_SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'opencode-plugin.js');

const EVENTS = ['ready', 'session', 'prompt', 'step', 'step-done', 'waiting', 'idle'] as const;

// Fields are read leniently (a wrong type is as good as absent): one odd field must not cost the signal.
const str = z.string().optional().catch(undefined);
const count = z.number().int().nonnegative().optional().catch(undefined);

const LineSchema = z.object({
  opencode: z.enum(EVENTS),
  at: z.number().int().nonnegative(),
  session: str,
  tool: str,
  args: z.unknown().optional(),
  permission: str,
  patterns: z.union([z.array(z.string()), z.string()]).optional().catch(undefined),
  result: str,
  inputTokens: count,
  outputTokens: count,
  costUsd: z.number().nonnegative().optional().catch(undefined),
});
type Line = z.output<typeof LineSchema>;

/** One raw line of the signals file → a signal, or null for anything else (a foreign or torn line). */
export function readOpencodeSignal(raw: string): AgentSignal | null {
  const parsed = LineSchema.safeParse(parseJsonLine(raw));
  if (!parsed.success) return null;
  const l = parsed.data;
  const valid = AgentSignalSchema.safeParse(defined({ at: l.at, sessionId: l.session, ...fields(l) }));
  return valid.success ? valid.data : null;
}

function fields(l: Line): Record<string, unknown> {
  const target = l.tool ? toolTarget(l.tool, l.args, undefined) : undefined;
  switch (l.opencode) {
    case 'ready':
    case 'session':
      return { kind: 'session' };
    case 'prompt':
      return { kind: 'prompt' };
    case 'step':
      return { kind: 'step', tool: l.tool, target };
    case 'step-done':
      return { kind: 'step-done', tool: l.tool, target };
    case 'waiting':
      return { kind: 'waiting', tool: l.tool, target, question: question(l, target) };
    case 'idle':
      return { kind: 'turn-end', result: l.result, inputTokens: l.inputTokens, outputTokens: l.outputTokens, costUsd: l.costUsd };
  }
}

/** "Allow bash `npm test`?"; without the call, what OpenCode names (its permission and patterns). */
function question(l: Line, target: string | undefined): string {
  const what = target ?? [l.patterns].flat().filter(Boolean).join(', ');
  return `Allow ${l.tool ?? l.permission ?? 'a tool'}${what ? ` \`${what}\`` : ''}?`;
}

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The per-task config: the plugin, over whatever the person's own opencode.json says. */
export function opencodeConfig(pluginFile: string): { plugin: string[] } {
  return { plugin: [pathToFileURL(pluginFile).href] };
}

export const opencodeSignals: SignalAdapter = {
  wire: (taskDir) => ({
    argv: [],
    env: { OPENCODE_CONFIG_CONTENT: JSON.stringify(opencodeConfig(join(taskDir, OPENCODE_PLUGIN_FILE))) },
    files: { [OPENCODE_PLUGIN_FILE]: readFileSync(PLUGIN_SOURCE, 'utf8') },
  }),
  read: readOpencodeSignal,
};
