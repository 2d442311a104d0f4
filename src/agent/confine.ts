import fs from 'node:fs';
import path from 'node:path';

/** Raised for a path the agent may not touch; its message is shown to the model as the tool error. */
export class RefusedPath extends Error {
  override readonly name = 'RefusedPath';
}

/** A path the agent may use: `abs` is the real path, `rel` is relative to the root ('.' for the root). */
export interface Confined {
  abs: string;
  rel: string;
}

const inside = (root: string, candidate: string): boolean => {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
};

const toPosix = (p: string): string => p.split(path.sep).join('/');

/**
 * The agent's root folder: every tool path is resolved against it and must stay inside it, by
 * name and after following symlinks. `root` is the real path of the cwd, so a cwd reached through
 * a symlink (e.g. /tmp on macOS) still compares correctly.
 */
export class Confinement {
  readonly root: string;

  constructor(cwd: string) {
    this.root = fs.realpathSync(cwd);
  }

  /** Resolves `p` (relative to the root, or absolute) to an existing path inside the root, or throws RefusedPath. */
  resolve(p: string): Confined {
    if (typeof p !== 'string' || p.includes('\0')) throw new RefusedPath(`refused: ${JSON.stringify(p)} is not a valid path`);
    const given = p === '' ? '.' : p;
    const lexical = path.resolve(this.root, given);
    if (!inside(this.root, lexical)) {
      throw new RefusedPath(
        `refused: ${given} is outside the working directory ${this.root}; only paths inside it can be read`,
      );
    }
    let real: string;
    try {
      real = fs.realpathSync(lexical);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new Error(`${given}: no such file or directory`);
      throw new Error(`${given}: ${(err as Error).message}`);
    }
    if (!inside(this.root, real)) {
      throw new RefusedPath(
        `refused: ${given} is a symlink that resolves to ${real}, outside the working directory ${this.root}`,
      );
    }
    return { abs: real, rel: this.relative(real) };
  }

  /** Whether an already-resolved absolute path (e.g. met while walking) is inside after following symlinks. */
  contains(abs: string): boolean {
    try {
      return inside(this.root, fs.realpathSync(abs));
    } catch {
      return false;
    }
  }

  relative(abs: string): string {
    const rel = toPosix(path.relative(this.root, abs));
    return rel === '' ? '.' : rel;
  }
}
