// `defaults.agent: auto`: what a first `panecrew launch 'npm test'` means. A prompt that reads as a
// command line runs as a shell command; anything else goes to the first agent that can run here.
import type { AgentProfile } from './profile-schema.js';
import { locateExecutable, unready } from './readiness.js';

export const AUTO_AGENT = 'auto';

/** Agents tried, in order, for a prompt in words. */
const AUTO_AGENT_ORDER = ['claude', 'opencode', 'codex', 'gemini', 'builtin'] as const;

/** Commands that are also ordinary English words starting a sentence ("find the bug", "make it pass"):
 *  such a prompt is a command only when it also carries shell syntax. */
const WORD_COMMANDS = new Set(
  'find make test time which yes true false read sort join split touch watch kill wait more less look file link write print help type command set shift mail date cut paste head tail top free last see open go say'.split(
    ' ',
  ),
);
const SHELL_BUILTINS = new Set(['cd', 'export', 'source', '.', 'exec', 'eval', 'for', 'while', 'if', 'unset', 'ulimit', 'umask']);
/** Pipes, redirections, variables, options, paths: the marks of a command line, not of prose. */
const SHELL_SYNTAX = /[|&;<>$`]|(^|\s)--?[A-Za-z]|(^|\s)\.{0,2}\/|=\S/;

function looksLikeCommand(prompt: string, PATH: string | undefined): boolean {
  const line = prompt.trim();
  if (!line || line.includes('\n') || line.length > 2_000) return false;
  const first = line.split(/\s+/)[0]!;
  if (!/^[\w.\/+:@-]+$/.test(first)) return false;
  const runnable = SHELL_BUILTINS.has(first) || locateExecutable(first, PATH) !== null;
  if (!runnable) return false;
  return !WORD_COMMANDS.has(first.toLowerCase()) || SHELL_SYNTAX.test(line);
}

export type AutoChoice = { agent: string } | { refused: string };

/** The agent `auto` means for this prompt and environment, or why none can run it. */
export function chooseAgent(prompt: string, env: Record<string, string | undefined>, profiles: Record<string, AgentProfile>): AutoChoice {
  if (Object.hasOwn(profiles, 'shell') && looksLikeCommand(prompt, env.PATH)) return { agent: 'shell' };
  const fixes: string[] = [];
  for (const name of AUTO_AGENT_ORDER) {
    if (!Object.hasOwn(profiles, name)) continue;
    const u = unready(profiles[name]!, env);
    if (!u) return { agent: name };
    fixes.push(`${name}: ${u.fix}`);
  }
  return { refused: `no agent can run this prompt here (defaults.agent is auto). Any one of these will do — ${fixes.join('; ')}. If it is a shell command, say --agent shell.` };
}
