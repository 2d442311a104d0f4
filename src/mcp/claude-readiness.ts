// What Claude Code needs before its interactive interface can run in a folder without a person at
// its first-run screens: its CLI, first-run setup done, the folder trusted, and (with an API key in
// the environment) that key approved. Read from Claude Code's own ~/.claude.json; nothing is written.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { locateExecutable } from '../runner/readiness.js';

export interface ReadinessCheck {
  ok: boolean;
  what: string;
  /** What to do when it is not ok. */
  fix?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function readClaudeState(file: string): Json | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function claudeReadiness(env: NodeJS.ProcessEnv, folder: string): ReadinessCheck[] {
  // Claude Code keys its projects by the folder's real path (its cwd as the kernel reports it).
  const dir = existsSync(folder) ? realpathSync(folder) : folder;
  const file = join(env.HOME ?? '', '.claude.json');
  const state = readClaudeState(file);
  const cli = locateExecutable('claude', env.PATH);
  const checks: ReadinessCheck[] = [
    cli ? { ok: true, what: `claude is installed (${cli})` } : { ok: false, what: 'claude is not on PATH', fix: 'npm install -g @anthropic-ai/claude-code' },
    state?.hasCompletedOnboarding === true
      ? { ok: true, what: 'first-run setup is done' }
      : { ok: false, what: `first-run setup is not done (${file} has no hasCompletedOnboarding)`, fix: 'run claude once in a terminal and finish its setup screens' },
  ];
  const projects = isObject(state?.projects) ? state.projects : {};
  const project = Object.hasOwn(projects, dir) && isObject(projects[dir]) ? projects[dir] : {};
  checks.push(
    project.hasTrustDialogAccepted === true
      ? { ok: true, what: `${dir} is trusted` }
      : { ok: false, what: `${dir} is not trusted yet: claude would stop at "Do you trust the files in this folder?"`, fix: `start claude in ${dir} once and accept` },
  );
  const key = env.ANTHROPIC_API_KEY;
  if (key) {
    const responses = isObject(state?.customApiKeyResponses) ? state.customApiKeyResponses : {};
    const approved = Array.isArray(responses.approved) && responses.approved.includes(key.slice(-20));
    checks.push(
      approved
        ? { ok: true, what: 'the ANTHROPIC_API_KEY in this environment is approved' }
        : { ok: false, what: 'the ANTHROPIC_API_KEY in this environment is not approved: claude would ask whether to use it', fix: 'start claude once with this key set and answer yes' },
    );
  }
  return checks;
}
