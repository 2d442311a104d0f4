// From a launch request to the task's agent, model, concurrency key and provider.
import { suggest } from '../config/suggest.js';
import type { AgentProfile, Category } from '../runner/profile-schema.js';
import type { LaunchSpec } from './protocol.js';
import { RequestError } from './protocol.js';

export interface Catalog {
  profiles: Record<string, AgentProfile>;
  categories: Record<string, Category>;
  subagents: Record<string, Category>;
  defaultAgent: string;
}

export interface Resolved {
  agent: string;
  profile: AgentProfile;
  category?: string;
  model: string | null;
  key: string;
  provider: string;
  prompt: string;
}

function unknown(kind: string, name: string, known: string[]): RequestError {
  const hint = suggest(name, known);
  return new RequestError('bad-request', `unknown ${kind} "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}; known: ${known.join(', ')}`);
}

function pick(kind: string, table: Record<string, Category>, name: string): Category {
  const found = table[name];
  if (!found) throw unknown(kind, name, Object.keys(table));
  return found;
}

/**
 * The agent comes from --agent, else the category or subagent type, else the default. A subagent
 * type may also name an agent profile directly (`subagent_type: claude`), as oh-my-opencode allows.
 * The key is --key, else the model, else `<provider>/<agent>` where the provider is the profile's
 * (so a model-less `claude` task still counts against the anthropic provider limit) or `local`.
 */
export function resolveLaunch(spec: LaunchSpec, catalog: Catalog): Resolved {
  let category: Category | undefined;
  let categoryName: string | undefined;
  let agent = spec.agent;
  if (spec.category) {
    category = pick('category', catalog.categories, spec.category);
    categoryName = spec.category;
  } else if (spec.subagentType) {
    if (spec.subagentType in catalog.subagents) {
      category = catalog.subagents[spec.subagentType];
      categoryName = spec.subagentType;
    } else if (spec.subagentType in catalog.profiles) {
      agent ??= spec.subagentType;
    } else {
      throw unknown('subagent type', spec.subagentType, [...Object.keys(catalog.subagents), ...Object.keys(catalog.profiles)]);
    }
  }
  agent ??= category?.agent ?? catalog.defaultAgent;
  const profile = catalog.profiles[agent];
  if (!profile) throw unknown('agent', agent, Object.keys(catalog.profiles));

  const model = spec.model ?? category?.model ?? profile.default_model ?? null;
  const provider = spec.key
    ? spec.key.split('/')[0]!
    : model
      ? model.split('/')[0]!
      : (profile.provider ?? 'local');
  const key = spec.key ?? model ?? `${provider}/${agent}`;
  const prompt = category?.prompt_prefix ? `${category.prompt_prefix}\n\n${spec.prompt}` : spec.prompt;
  return { agent, profile, category: categoryName, model, key, provider, prompt };
}
