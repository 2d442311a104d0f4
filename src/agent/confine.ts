import fs from 'node:fs';
import fsp, { type FileHandle } from 'node:fs/promises';
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

  /**
   * Opens a confined regular file for reading. resolve() checks the path by name, but a concurrent
   * writer could swap a folder on it for a symlink before the open; so the open follows no symlink at
   * the end (O_NOFOLLOW), cannot block on a FIFO swapped in (O_NONBLOCK), and what it opened is then
   * checked again by descriptor (holds). Read from the returned handle only; the caller closes it.
   */
  async openFile(p: string): Promise<{ handle: FileHandle; rel: string; size: number }> {
    const { abs, rel } = this.resolve(p);
    const { O_RDONLY, O_NOFOLLOW = 0, O_NONBLOCK = 0 } = fs.constants;
    let handle: FileHandle;
    try {
      handle = await fsp.open(abs, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new RefusedPath(`refused: ${rel} became a symlink while being opened`);
      throw new Error(`${rel}: ${(err as Error).message}`);
    }
    try {
      const st = await handle.stat();
      if (st.isDirectory()) throw new Error(`${rel} is a directory; use list_dir to see its entries`);
      if (!st.isFile()) throw new Error(`${rel} is not a regular file`);
      if (!(await this.holds(handle, abs))) throw new RefusedPath(`refused: ${rel} was moved outside the working directory while being opened`);
      return { handle, rel, size: st.size };
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /**
   * Whether an open file is inside the root, whatever its path did meanwhile: on Linux by the path
   * the kernel has for the descriptor; elsewhere by comparing its device and inode with a fresh,
   * re-confined look-up of `abs` (the path it was opened by).
   */
  async holds(handle: FileHandle, abs: string): Promise<boolean> {
    try {
      if (process.platform === 'linux') return inside(this.root, await fsp.realpath(`/proc/self/fd/${handle.fd}`));
      const real = await fsp.realpath(abs);
      if (!inside(this.root, real)) return false;
      const [opened, named] = await Promise.all([handle.stat(), fsp.stat(real)]);
      return opened.dev === named.dev && opened.ino === named.ino;
    } catch {
      return false;
    }
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
