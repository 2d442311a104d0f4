// From a launch request to the task's agent, model, concurrency key, provider and stale timeout.
// Names are looked up as own keys only: `--category constructor` is an unknown category, not
// Object.prototype.constructor.
import { AUTO_AGENT, chooseAgent } from '../runner/auto-agent.js';
import { applyPromptPrefix, named, UnknownNameError } from '../runner/categories.js';
import { whyCannotRun } from '../runner/readiness.js';
import type { AgentProfile, Category } from '../runner/profile-schema.js';
import type { LaunchSpec } from './protocol.js';
import { RequestError } from './protocol.js';

export interface Catalog {
  profiles: Record<string, AgentProfile>;
  categories: Record<string, Category>;
  subagents: Record<string, Category>;
  defaultAgent: string;
  /** The configured stale timeout, for profiles that do not set their own (null: none). */
  staleTimeoutMs: number | null;
}

export interface Resolved {
  agent: string;
  profile: AgentProfile;
  category?: string;
  model: string | null;
  key: string;
  provider: string;
  prompt: string;
  staleTimeoutMs: number | null;
}

const has = (table: object, name: string): boolean => Object.hasOwn(table, name);

/** Runs a lookup; an unknown name becomes a bad request with its "did you mean". */
function lookup<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UnknownNameError) throw new RequestError('bad-request', err.message);
    throw err;
  }
}

function profileOf(catalog: Catalog, agent: string): AgentProfile {
  return lookup(() => named('agent', catalog.profiles, agent));
}

/**
 * The agent comes from --agent, else the category or subagent type, else the default (`auto`: see
 * runner/auto-agent.ts); an agent that cannot run with the launcher's environment is refused. A subagent
 * type may also name an agent profile directly (`subagent_type: claude`), as oh-my-opencode allows.
 * The key is --key, else the model, else `<provider>/<agent>` where the provider is the profile's
 * (so a model-less `claude` task still counts against the anthropic provider limit) or `local`.
 * The stale timeout is the task's, else its profile's, else the configured one.
 */
export function resolveLaunch(spec: LaunchSpec, catalog: Catalog): Resolved {
  let category: Category | undefined;
  let categoryName: string | undefined;
  let agent = spec.agent;
  if (spec.category) {
    category = lookup(() => named('category', catalog.categories, spec.category!));
    categoryName = spec.category;
  } else if (spec.subagentType) {
    if (has(catalog.subagents, spec.subagentType)) {
      category = catalog.subagents[spec.subagentType];
      categoryName = spec.subagentType;
    } else if (has(catalog.profiles, spec.subagentType)) {
      agent ??= spec.subagentType;
    } else {
      lookup(() => named('subagent type', { ...catalog.subagents, ...catalog.profiles }, spec.subagentType!));
    }
  }
  agent ??= category?.agent ?? catalog.defaultAgent;
  if (agent === AUTO_AGENT) {
    const choice = chooseAgent(spec.prompt, spec.env, catalog.profiles);
    if ('refused' in choice) throw new RequestError('bad-request', choice.refused);
    agent = choice.agent;
  }
  const profile = profileOf(catalog, agent);
  const cannot = whyCannotRun(agent, profile, { ...spec.env, ...profile.env });
  if (cannot) throw new RequestError('bad-request', cannot);

  const model = spec.model ?? category?.model ?? profile.default_model ?? null;
  const provider = spec.key
    ? spec.key.split('/')[0]!
    : model
      ? model.split('/')[0]!
      : (profile.provider ?? 'local');
  const key = spec.key ?? model ?? `${provider}/${agent}`;
  const staleTimeoutMs = spec.staleTimeoutMs !== undefined ? spec.staleTimeoutMs : profile.stale_timeout !== undefined ? profile.stale_timeout : catalog.staleTimeoutMs;
  return { agent, profile, category: categoryName, model, key, provider, prompt: applyPromptPrefix(category, spec.prompt), staleTimeoutMs };
}
