// Gemini CLI as an interactive agent: its hooks (settings `hooks`, each a command given the event
// as JSON on stdin) report its state into the task folder through signal-hook.sh, and the
// normaliser turns each line into an AgentSignal (src/core/signal.ts).
//
// Facts measured on Gemini CLI 0.61.0 in a tmux pane, offline (test/agents/gemini-live.test.ts):
//  - The hook settings go in <taskdir>/gemini-settings.json, named by GEMINI_CLI_SYSTEM_SETTINGS_PATH
//    (the system settings layer, merged over the user's): ~/.gemini is never touched. Gemini CLI
//    loads a system settings file only when it and every folder above it are owned by root and not
//    writable by group or others (else: "Security Warning: Skipping system settings file …
//    Parent directory '/tmp' is insecure"): a task whose folder fails that rule runs in print mode.
//  - SessionStart fires as the TUI starts (before any prompt): the prompt can be typed in.
//    BeforeAgent: a prompt was submitted (`prompt`). BeforeTool / AfterTool: `tool_name`,
//    `tool_input`. Notification `ToolPermission`: a tool waits for the person's approval, its
//    `details` saying what (`type` exec with `command`, edit with `filePath`, mcp with `toolName`…).
//    AfterAgent: the turn ended; `prompt_response` is the turn's model text (each response of the
//    turn on its own line). SessionEnd. Every payload carries `session_id` and `transcript_path`.
import { lstatSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { AgentSignalSchema, type AgentSignal } from '../../core/signal.js';
import { shellQuote } from '../../core/text.js';
import { toolTarget } from '../parsers/tool-step.js';
import { SIGNAL_HOOK_SCRIPT } from './claude.js';
import { parseJsonLine, type SignalAdapter } from './index.js';

export const GEMINI_SETTINGS_FILE = 'gemini-settings.json';

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
        return { ...base, kind: 'turn-end', result: p.prompt_response?.trim() };
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

/** Why Gemini CLI would skip a system settings file at `file` (see above), or null when it reads it. */
export function insecureSettingsPath(file: string): string | null {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const st = statSync(dir, { throwIfNoEntry: false });
    const link = lstatSync(dir, { throwIfNoEntry: false });
    if (st && (st.uid !== 0 || (st.mode & 0o022) !== 0 || (link?.isSymbolicLink() && link.uid !== 0))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

function unwirable(taskDir: string): string | null {
  const insecure = insecureSettingsPath(`${taskDir}/${GEMINI_SETTINGS_FILE}`);
  if (insecure === null) return null;
  return `Gemini CLI would not load this task's hooks: it reads a system settings file only where every folder above it is owned by root and writable by nobody else, and ${insecure} is not`;
}

/** Gemini's file tools name the path `file_path` / `dir_path`; the shared step names read `path`. */
function withPath(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const r = input as Record<string, unknown>;
  return { ...r, path: r.file_path ?? r.dir_path ?? r.absolute_path ?? r.path };
}

export const geminiSignals: SignalAdapter = {
  wire: (taskDir, signalsFile) => {
    const settings = `${taskDir}/${GEMINI_SETTINGS_FILE}`;
    const why = unwirable(taskDir);
    if (why !== null) throw new Error(why);
    return { argv: [], env: { GEMINI_CLI_SYSTEM_SETTINGS_PATH: settings }, files: { [GEMINI_SETTINGS_FILE]: `${JSON.stringify(geminiSettings(signalsFile), null, 2)}\n` } };
  },
  unwirable,
  read: readGeminiSignal,
};
