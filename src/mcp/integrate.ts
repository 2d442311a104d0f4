// Configuration snippets for MCP clients and merging them into their files without touching the
// other entries. Generated commands use absolute paths (this node, this CLI), so they work without
// a global install of panecrew.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../core/atomic-write.js';
import { shellQuote } from '../core/text.js';

export const SERVER_NAME = 'panecrew';

export interface Invocation {
  /** Absolute path of node. */
  node: string;
  /** Absolute path of dist/cli/main.js. */
  cli: string;
  /** Absolute path of dist/mcp/hook-main.js: the hooks without the rest of the CLI. */
  hook: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function claudeServerEntry(inv: Invocation): Json {
  return { type: 'stdio', command: inv.node, args: [inv.cli, 'mcp'], env: {} };
}

export function opencodeServerEntry(inv: Invocation): Json {
  return { type: 'local', command: [inv.node, inv.cli, 'mcp'], enabled: true };
}

export function hookCommand(inv: Invocation, which: 'wait'): string {
  return [inv.node, inv.hook, which].map(shellQuote).join(' ');
}

/** `claude mcp add` for user scope: Claude Code owns ~/.claude.json, so we let it write there. */
export function claudeAddCommand(inv: Invocation): string {
  return ['claude', 'mcp', 'add', '--scope', 'user', SERVER_NAME, '--', inv.node, inv.cli, 'mcp'].map(shellQuote).join(' ');
}

function section(root: Json, key: string, file: string): Json {
  const value = root[key] ?? {};
  if (!isObject(value)) throw new Error(`${file}: "${key}" is not an object; fix it by hand, then run this again`);
  return value;
}

/** `.mcp.json` (Claude Code project scope) with our server set and every other server kept. */
export function mergeClaudeMcp(existing: Json, inv: Invocation, file = '.mcp.json'): Json {
  return { ...existing, mcpServers: { ...section(existing, 'mcpServers', file), [SERVER_NAME]: claudeServerEntry(inv) } };
}

// `node …/cli/main.js hook claude-code` or `node …/mcp/hook-main.js claude-code`, quoted or not.
const isOurHook = (h: unknown): boolean => isObject(h) && typeof h.command === 'string' && /(main\.js'? hook|hook-main\.js'?) (claude-code|wait)$/.test(h.command);

/** The waiter lives until an ending (or its session ends): Claude Code's default timeout (600 s) would kill it silently. */
export const WAITER_TIMEOUT_S = 7 * 24 * 3600;

/**
 * Our hooks, per event: the rewake waiter (`asyncRewake`: it runs in the background and its exit 2
 * wakes the session) armed after a `task` call, at session start (for tasks still running) and after
 * each turn. No UserPromptSubmit hook: it runs before every prompt, the wake's too, and its node
 * start-up (~0.2–0.6 s) delayed every model request; the armed waiter tells endings in that turn
 * anyway. `rewakeMessage`/`rewakeSummary` (in the schema since 2.1.197, marked internal) replace
 * "Stop hook blocking error from command <the whole command line>:" in the model's context.
 */
function ourHooks(inv: Invocation): Record<string, Json> {
  const waiter = {
    type: 'command',
    command: hookCommand(inv, 'wait'),
    asyncRewake: true,
    timeout: WAITER_TIMEOUT_S,
    rewakeMessage: 'panecrew:',
    rewakeSummary: 'panecrew: background task ended',
  };
  return {
    PostToolUse: { matcher: `mcp__${SERVER_NAME}__task`, hooks: [waiter] },
    SessionStart: { hooks: [waiter] },
    Stop: { hooks: [waiter] },
  };
}

/** `groups` (one event's hook groups) without ours; a group left empty goes. */
function withoutOurs(groups: unknown[]): unknown[] {
  return groups
    .map((g: unknown) => (isObject(g) && Array.isArray(g.hooks) ? { ...g, hooks: g.hooks.filter((h: unknown) => !isOurHook(h)) } : g))
    .filter((g: unknown) => !(isObject(g) && Array.isArray(g.hooks) && g.hooks.length === 0));
}

/**
 * `.claude/settings.json` with our hooks: older panecrew hooks (another path, or an event we no
 * longer use) are removed, every other hook and setting kept.
 */
export function mergeClaudeSettings(existing: Json, inv: Invocation, file = '.claude/settings.json'): Json {
  const hooks = { ...section(existing, 'hooks', file) };
  const ours = ourHooks(inv);
  for (const event of new Set([...Object.keys(hooks), ...Object.keys(ours)])) {
    const groups = hooks[event] ?? [];
    if (!Array.isArray(groups)) {
      // Not a list (Claude Code would refuse it too): ours cannot be in it; one we must add to is for the person to fix.
      if (!ours[event]) continue;
      throw new Error(`${file}: hooks.${event} is not a list; fix it by hand, then run this again`);
    }
    const kept = withoutOurs(groups);
    if (ours[event]) hooks[event] = [...kept, ours[event]];
    else if (JSON.stringify(kept) !== JSON.stringify(groups)) {
      // One of ours was there: an event left with no hook goes.
      if (kept.length) hooks[event] = kept;
      else delete hooks[event];
    }
  }
  return { ...existing, hooks };
}

/** The OpenCode plugin that wakes a session when its tasks end: beside the hook entry point. */
export function opencodePluginUrl(inv: Invocation): string {
  return pathToFileURL(join(dirname(inv.hook), 'opencode-plugin.js')).href;
}

/** `opencode.json` with our server under `mcp` and our plugin under `plugin` (an older one replaced), every other entry kept. */
export function mergeOpencode(existing: Json, inv: Invocation, file = 'opencode.json'): Json {
  const base = Object.keys(existing).length ? existing : { $schema: 'https://opencode.ai/config.json' };
  const plugins = existing.plugin ?? [];
  if (!Array.isArray(plugins)) throw new Error(`${file}: "plugin" is not a list; fix it by hand, then run this again`);
  const kept = plugins.filter((p: unknown) => !(typeof p === 'string' && /\/mcp\/opencode-plugin\.js$/.test(p)));
  return { ...base, mcp: { ...section(existing, 'mcp', file), [SERVER_NAME]: opencodeServerEntry(inv) }, plugin: [...kept, opencodePluginUrl(inv)] };
}

/** A JSON object file, `{}` when it does not exist. Refuses anything it could not write back intact. */
export function readJsonObject(file: string): Json {
  if (!existsSync(file)) return {};
  const text = readFileSync(file, 'utf8');
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${(err as Error).message}); fix it or add the entry by hand`);
  }
  if (!isObject(value)) throw new Error(`${file} does not hold a JSON object; fix it or add the entry by hand`);
  return value;
}

export function writeJsonObject(file: string, value: Json): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}
