// Categories (`quick`, `deep`, …) and subagent types (`explore`, `librarian`, `oracle`): named pairs of
// an agent profile and a model, optionally with a prompt prefix. A launch names one instead of
// spelling out agent and model. User entries (config `categories:` / `subagents:`) replace built-ins
// of the same name entirely.
import { suggest } from '../core/suggest.js';
import { CategorySchema, type Category } from './profile-schema.js';
import { formatIssues, ProfileConfigError } from './profiles.js';

export { CategorySchema, type Category } from './profile-schema.js';

const HAIKU = 'anthropic/claude-haiku-4-5';
const SONNET = 'anthropic/claude-sonnet-4-5';
const OPUS = 'anthropic/claude-opus-4-5';

export const BUILTIN_CATEGORIES: Readonly<Record<string, Category>> = Object.freeze({
  quick: { agent: 'builtin', model: HAIKU, description: 'small, fast look-ups and answers' },
  deep: { agent: 'claude', model: OPUS, description: 'hard problems: design, tricky bugs, large changes' },
  balanced: { agent: 'claude', model: SONNET, description: 'everyday implementation work' },
  'visual-engineering': { agent: 'claude', model: SONNET, description: 'front-end, UI and styling work' },
  research: { agent: 'builtin', model: SONNET, description: 'reading code and docs to answer a question' },
});

export const BUILTIN_SUBAGENTS: Readonly<Record<string, Category>> = Object.freeze({
  explore: {
    agent: 'builtin',
    model: HAIKU,
    description: 'maps the code relevant to a question',
    prompt_prefix:
      'You are an explorer: map the code relevant to the request below. List the files, functions and types involved, ' +
      'with paths and line numbers, and how they connect. Do not change anything.',
  },
  librarian: {
    agent: 'builtin',
    model: SONNET,
    description: 'researches documentation and code, with sources',
    prompt_prefix:
      'You are a librarian: research the documentation and code that answer the request below. ' +
      'Quote the relevant passages and give the path or address of every source. Do not change anything.',
  },
  oracle: {
    agent: 'claude',
    model: OPUS,
    description: 'a careful reviewer for designs, plans and changes',
    prompt_prefix:
      'You are an oracle: a careful, senior reviewer. Study the request below and the code it concerns, find what is wrong ' +
      'or risky, and say plainly what you would do instead and why. Do not change anything.',
  },
});

export class UnknownNameError extends Error {
  override name = 'UnknownNameError';
  constructor(
    readonly kind: string,
    readonly input: string,
    readonly known: string[],
  ) {
    const hint = suggest(input, known);
    super(`unknown ${kind} "${input}"${hint ? ` — did you mean "${hint}"?` : ''} (known: ${known.join(', ') || 'none'})`);
  }
}

function merge(kind: 'categories' | 'subagents', builtins: Readonly<Record<string, Category>>, user: Record<string, unknown>): Record<string, Category> {
  const out: Record<string, Category> = { ...builtins };
  const issues: string[] = [];
  for (const [name, raw] of Object.entries(user)) {
    const parsed = CategorySchema.safeParse(raw);
    if (parsed.success) out[name] = parsed.data;
    else issues.push(...formatIssues(`${kind}.${name}`, parsed.error));
  }
  if (issues.length > 0) throw new ProfileConfigError(issues);
  return out;
}

export function resolveCategories(user: Record<string, unknown> = {}): Record<string, Category> {
  return merge('categories', BUILTIN_CATEGORIES, user);
}

export function resolveSubagents(user: Record<string, unknown> = {}): Record<string, Category> {
  return merge('subagents', BUILTIN_SUBAGENTS, user);
}

/** Every category or subagent whose agent is not a known profile, as "categories.x.agent: …" lines. */
export function checkCategoryAgents(kind: 'categories' | 'subagents', entries: Record<string, Category>, profileNames: string[]): string[] {
  const issues: string[] = [];
  for (const [name, c] of Object.entries(entries)) {
    if (profileNames.includes(c.agent)) continue;
    const hint = suggest(c.agent, profileNames);
    issues.push(`${kind}.${name}.agent: unknown agent "${c.agent}"${hint ? ` — did you mean "${hint}"?` : ''} (known: ${profileNames.join(', ')})`);
  }
  return issues;
}

/** The entry `name` of a table of categories, subagent types or profiles: own keys only, so
 *  `constructor` or `toString` is an unknown name, not a member of Object.prototype. */
export function named<T>(kind: string, table: Readonly<Record<string, T>>, name: string): T {
  if (!Object.hasOwn(table, name)) throw new UnknownNameError(kind, name, Object.keys(table));
  return table[name]!;
}

/** The prompt an agent receives: the category's prefix, a blank line, then the task's prompt. */
export function applyPromptPrefix(category: Pick<Category, 'prompt_prefix'> | undefined, prompt: string): string {
  const prefix = category?.prompt_prefix?.trim();
  return prefix ? `${prefix}\n\n${prompt}` : prompt;
}
