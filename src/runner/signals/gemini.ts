// Gemini CLI as an interactive agent: its hooks (settings `hooks`, each a command given the event
// as JSON on stdin) report its state into the task folder through signal-hook.sh, and the
// normaliser turns each line into an AgentSignal (src/core/signal.ts).
//
// Facts measured on Gemini CLI 0.61.0 in a tmux pane, offline (test/agents/gemini-live.test.ts):
//  - The hook settings go in a Gemini CLI home of the task's own (wireGemini): ~/.gemini is never
//    written. Its system settings layer (GEMINI_CLI_SYSTEM_SETTINGS_PATH) is read only when the file
//    and every folder above it are owned by root and not writable by group or others ("Security
//    Warning: Skipping system settings file … Parent directory '/tmp' is insecure"): no use to an
//    ordinary user.
//  - SessionStart fires as the TUI starts (before any prompt): the prompt can be typed in.
//    BeforeAgent: a prompt was submitted (`prompt`). BeforeTool / AfterTool: `tool_name`,
//    `tool_input`. Notification `ToolPermission`: a tool waits for the person's approval, its
//    `details` saying what (`type` exec with `command`, edit with `filePath`, mcp with `toolName`…).
//    AfterAgent: the turn ended; `prompt_response` is the turn's model text (each response of the
//    turn on its own line). SessionEnd. Every payload carries `session_id` and `transcript_path`, the
//    session's chat file, where the tokens are (gemini-chat.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { AgentSignalSchema, type AgentSignal } from '../../core/signal.js';
import { shellQuote } from '../../core/text.js';
import { toolTarget } from '../parsers/tool-step.js';
import { SIGNAL_HOOK_SCRIPT } from './claude.js';
import { geminiSessionTokens } from './gemini-chat.js';
import { parseJsonLine, type SignalAdapter, type SignalWiring } from './index.js';
import { stripJsonComments } from './jsonc.js';

const EVENTS = ['SessionStart', 'BeforeAgent', 'BeforeTool', 'AfterTool', 'Notification', 'AfterAgent', 'SessionEnd'] as const;
/** Milliseconds (Gemini CLI's unit): a hook stuck on a slow disk must not hold the agent long. */
const HOOK_TIMEOUT_MS = 10_000;

/** The settings for one task: every hook appends to `signalsFile`. */
export function geminiSettings(signalsFile: string, hookScript = SIGNAL_HOOK_SCRIPT): { hooks: Record<string, unknown[]> } {
  const hooks: Record<string, unknown[]> = {};
  for (const event of EVENTS) {
    // Gemini CLI runs the command with a shell: it holds only our script, the event name and the
    // task folder's path, each quoted; no user text.
    const command = [hookScript, event, signalsFile].map(shellQuote).join(' ');
    hooks[event] = [{ ...(event.endsWith('Tool') ? { matcher: '.*' } : {}), hooks: [{ type: 'command', name: `panecrew-${event}`, command, timeout: HOOK_TIMEOUT_MS }] }];
  }
  return { hooks };
}

const LineSchema = z.object({
  hook: z.enum(EVENTS),
  at: z.number().int().nonnegative(),
  payload: z.looseObject({
    session_id: z.string().optional(),
    transcript_path: z.string().optional(),
    prompt: z.string().optional(),
    tool_name: z.string().optional(),
    tool_input: z.unknown().optional(),
    notification_type: z.string().optional(),
    message: z.string().optional(),
    details: z
      .looseObject({ type: z.string().optional(), command: z.string().optional(), filePath: z.string().optional(), fileName: z.string().optional(), toolName: z.string().optional() })
      .optional()
      .catch(undefined),
    prompt_response: z.string().optional(),
  }),
});

const GEMINI_TOOLS: Record<string, string> = { run_shell_command: 'bash', read_file: 'read', write_file: 'write', replace: 'edit', list_directory: 'ls', grep_search: 'grep', glob: 'glob' };

/** One raw line of the signals file → a signal, or null for anything else. */
export function readGeminiSignal(line: string): AgentSignal | null {
  const parsed = LineSchema.safeParse(parseJsonLine(line));
  if (!parsed.success) return null;
  const { hook, at, payload: p } = parsed.data;
  const base = { at, sessionId: p.session_id, transcriptPath: p.transcript_path };
  const tool = p.tool_name;
  const target = tool === undefined ? undefined : toolTarget(GEMINI_TOOLS[tool] ?? tool, withPath(p.tool_input), undefined);
  const signal = ((): Record<string, unknown> | null => {
    switch (hook) {
      case 'SessionStart':
        return { ...base, kind: 'session' };
      case 'BeforeAgent':
        return { ...base, kind: 'prompt' };
      case 'BeforeTool':
        return { ...base, kind: 'step', tool, target };
      case 'AfterTool':
        return { ...base, kind: 'step-done', tool, target };
      case 'Notification':
        if (p.notification_type !== 'ToolPermission') return null;
        return { ...base, kind: 'waiting', question: permissionQuestion(p.details, p.message) };
      case 'AfterAgent':
        return { ...base, kind: 'turn-end', result: p.prompt_response?.trim(), ...geminiSessionTokens(p.transcript_path) };
      case 'SessionEnd':
        return { ...base, kind: 'session-end' };
    }
  })();
  if (signal === null) return null;
  const valid = AgentSignalSchema.safeParse(Object.fromEntries(Object.entries(signal).filter(([, v]) => v !== undefined)));
  return valid.success ? valid.data : null;
}

/** What the approval dialog asks, in the words the other agents' questions use: "Allow Shell `npm test`?".
 *  Gemini's own message is generic ("Tool Confirm Shell Command requires execution"). */
function permissionQuestion(details: { type?: string; command?: string; filePath?: string; fileName?: string; toolName?: string } | undefined, message: string | undefined): string {
  const what = { exec: 'Shell', edit: 'Edit', mcp: details?.toolName, info: 'Fetch' }[details?.type ?? ''];
  const target = details?.command ?? details?.filePath ?? details?.fileName;
  if (what === undefined) return message ?? 'Gemini CLI asks for permission';
  return `Allow ${what}${target ? ` \`${target}\`` : ''}?`;
}

/** The task's own Gemini CLI home (GEMINI_CLI_HOME), in its folder. */
export const GEMINI_HOME = 'gemini-home';

/** What a login in the task's pane writes (Gemini CLI 0.61.0 cacheCredentials, cacheGoogleAccount:
 *  fs.writeFile in place, which follows a link): linked even before they exist, so a login made in a
 *  task is the person's, as it would be outside panecrew. */
const LOGIN_FILES = ['oauth_creds.json', 'google_accounts.json'];
/** Gemini CLI looks for the person's skills in GEMINI_CLI_HOME/.agents/skills too (Storage.getGlobalAgentsDir). */
const AGENTS_DIR = '.agents';

/** The person's settings.json in `dir` (JSON with comments, as Gemini reads it), {} when there is none. */
function personsSettings(dir: string): Record<string, unknown> {
  const file = join(dir, 'settings.json');
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripJsonComments(readFileSync(file, 'utf8')));
  } catch (err) {
    throw new Error(`cannot read your Gemini CLI settings ${file} to add this task's hooks to them (${(err as Error).message}): fix the file (Gemini CLI would refuse it too)`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`your Gemini CLI settings ${file} are not a JSON object: fix the file`);
  return parsed as Record<string, unknown>;
}

/**
 * One task's wiring: a Gemini CLI home of its own in the task folder (GEMINI_CLI_HOME), whose
 * settings.json is the person's with the task's hooks added to theirs, and whose every other entry
 * links to the person's own (.gemini/ of $GEMINI_CLI_HOME or $HOME in the task's environment): their
 * login, history, sessions (so `gemini --resume` sees the task's session), extensions and trusted
 * folders are theirs, and their files are never written by panecrew; their ~/.agents (skills) is
 * linked beside it. (Gemini CLI's system settings layer would need no copy, but it reads only
 * root-owned folders: no task folder of an ordinary user.)
 */
export function wireGemini(taskDir: string, signalsFile: string, env: Record<string, string | undefined> = {}): SignalWiring {
  const theirHome = env.GEMINI_CLI_HOME || env.HOME || homedir();
  const own = join(theirHome, '.gemini');
  const settings = personsSettings(own);
  const theirs = typeof settings.hooks === 'object' && settings.hooks !== null ? (settings.hooks as Record<string, unknown>) : {};
  const hooks: Record<string, unknown> = { ...theirs };
  for (const [event, ours] of Object.entries(geminiSettings(signalsFile).hooks)) hooks[event] = [...(Array.isArray(theirs[event]) ? theirs[event] : []), ...ours];
  const dir = `${GEMINI_HOME}/.gemini`;
  const entries = existsSync(own) ? new Set([...readdirSync(own).filter((name) => name !== 'settings.json'), ...LOGIN_FILES]) : new Set<string>();
  const links: Record<string, string> = Object.fromEntries([...entries].map((name) => [`${dir}/${name}`, join(own, name)]));
  if (existsSync(join(theirHome, AGENTS_DIR))) links[`${GEMINI_HOME}/${AGENTS_DIR}`] = join(theirHome, AGENTS_DIR);
  return {
    argv: [],
    env: { GEMINI_CLI_HOME: join(taskDir, GEMINI_HOME) },
    files: { [`${dir}/settings.json`]: `${JSON.stringify({ ...settings, hooks }, null, 2)}\n` },
    links,
  };
}

/** Gemini's file tools name the path `file_path` / `dir_path`; the shared step names read `path`. */
function withPath(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const r = input as Record<string, unknown>;
  return { ...r, path: r.file_path ?? r.dir_path ?? r.absolute_path ?? r.path };
}

export const geminiSignals: SignalAdapter = {
  wire: wireGemini,
  read: readGeminiSignal,
};
