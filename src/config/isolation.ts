// A launching client's default isolation, from its config alone. Apart from controller/isolation.ts
// (which makes worktrees) so that `panecrew launch` does not load git and execa to read a setting.
import type { LaunchConfig } from './launch-config.js';

/** A client's default (the launching folder's config, its project file included): the category's
 *  (or subagent type's) isolation, else defaults.isolation. */
export function defaultIsolation(config: LaunchConfig, category: string | undefined, subagent: string | undefined): 'none' | 'worktree' {
  const [table, kind] = category ? [config.categories, category] : [config.subagents, subagent];
  return (kind && Object.hasOwn(table, kind) ? table[kind]!.isolation : undefined) ?? config.defaults.isolation;
}
