import fs from 'node:fs/promises';
import path from 'node:path';
import type { Confinement } from '../confine.js';

/** Folders no tool looks into: huge, generated or version-control internals. */
export const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

export interface WalkEntry {
  abs: string;
  /** posix path relative to the agent's root */
  rel: string;
}

/**
 * Yields the files under `dir` in a stable (sorted) order. Symlinked folders are not entered and
 * symlinked files are yielded only when they resolve inside the root, so a walk never leaves it.
 * Stops after `maxVisited` entries so a vast tree cannot stall the agent.
 */
export async function* walkFiles(confine: Confinement, dir: string, maxVisited = 50_000): AsyncGenerator<WalkEntry> {
  let visited = 0;
  const stack: string[] = [dir];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    let names: import('node:fs').Dirent[];
    try {
      names = await fs.readdir(current, { withFileTypes: true });
    } catch {
      continue; // unreadable folder: skip rather than fail the whole search
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const d of names) {
      if (++visited > maxVisited) return;
      const abs = path.join(current, d.name);
      if (d.isDirectory()) {
        if (!SKIPPED_DIRS.has(d.name)) subdirs.push(abs);
      } else if (d.isFile()) {
        yield { abs, rel: confine.relative(abs) };
      } else if (d.isSymbolicLink()) {
        try {
          const st = await fs.stat(abs);
          if (st.isFile() && confine.contains(abs)) yield { abs, rel: confine.relative(abs) };
        } catch {
          // dangling link
        }
      }
    }
    // Reverse so the sorted-first folder is popped first.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i] as string);
  }
}
