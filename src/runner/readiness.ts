// Whether an agent can run for a launch, decided before it is queued: its executable is on the
// launcher's PATH and the environment it needs is set. A task that cannot run is refused at launch
// with the fix, instead of failing with exit 127 after the fact.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { AgentProfile } from './profile-schema.js';

/** Where `name` is, looked up the way execvp would (a path is checked as it is); null if nowhere. */
export function locateExecutable(name: string, PATH: string | undefined): string | null {
  const candidates = name.includes('/') ? [path.resolve(name)] : (PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, name));
  for (const file of candidates) {
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** The executable a profile's command starts, with {node} resolved; null when it is a placeholder. */
export function executableOf(profile: Pick<AgentProfile, 'command'>): string | null {
  const first = profile.command[0] ?? '';
  if (first === '{node}') return process.execPath;
  return /\{[a-z_]+\}/.test(first) ? null : first;
}

export interface Unready {
  /** What is missing, e.g. `"codex" is not on the launching shell's PATH`. */
  what: string;
  /** What to do, e.g. `install it (npm install -g @openai/codex)`. */
  fix: string;
}

/** What keeps `agent` from running with this environment; null when it can run. */
export function unready(profile: AgentProfile, env: Record<string, string | undefined>): Unready | null {
  const executable = executableOf(profile);
  if (executable && !locateExecutable(executable, env.PATH)) {
    return { what: `"${executable}" is not on the launching shell's PATH`, fix: profile.install ? `install it (${profile.install})` : 'install it' };
  }
  const needs = profile.requires_env_any;
  if (needs?.length && !needs.some((name) => env[name])) return { what: `none of ${needs.join(', ')} is set`, fix: `set ${needs.join(' or ')} in the launching environment` };
  return null;
}

/** Why `agent` cannot run with this environment, with what to do; null when it can. */
export function whyCannotRun(agent: string, profile: AgentProfile, env: Record<string, string | undefined>): string | null {
  const u = unready(profile, env);
  return u && `agent "${agent}" cannot run: ${u.what}; ${u.fix}, or choose another agent (panecrew agents lists them)`;
}
