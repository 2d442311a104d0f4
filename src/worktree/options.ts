// The `worktree:` section of the configuration: what a task's worktree gets before its agent starts.
import { isAbsolute, normalize } from 'node:path';
import { z } from 'zod';

/** A path inside the repository, relative to its top folder (`.env`, `config/local.json`). */
const RepoPath = z
  .string()
  .min(1)
  .refine((p) => !isAbsolute(p) && !normalize(p).startsWith('..') && !p.includes('\0'), 'a path relative to the repository top, inside it (no leading / or ..)');

export const WorktreeOptionsSchema = z.strictObject({
  /** Copied from the main checkout into each new worktree (files git ignores: .env, local config). */
  copy: z.array(RepoPath).max(100).default([]),
  /** Symlinked instead of copied (large folders shared read-mostly: node_modules). */
  link: z.array(RepoPath).max(100).default([]),
  /** Run in the worktree (in the task's cwd) before the agent, as an argument list: ["npm", "ci"]. */
  setup: z.array(z.string().regex(/^[^\0]*$/)).max(1000).default([]),
});
export type WorktreeOptions = z.infer<typeof WorktreeOptionsSchema>;

export const ISOLATIONS = ['none', 'worktree'] as const;
export const SANDBOXES = ['on', 'offline'] as const;
