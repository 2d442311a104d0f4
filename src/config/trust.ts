// Trusted project folders. A `.panecrew.yaml` arrives with the code someone cloned, so until the user
// trusts its folder (`panecrew trust`) it may not choose what runs: only the keys in UNTRUSTED_KEYS
// apply, the rest is ignored with a warning. Trust is recorded per folder (its real path) together
// with a hash of the file, as editors and Claude Code do: an edit (a pull, a checkout) asks again.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic-write.js';
import { trustStoreFile } from './files.js';
import { ensurePrivateDir, UnsafeFolderError } from '../core/private-dir.js';
import { ConfigFileError } from './errors.js';

/**
 * What an untrusted project file may set: launch defaults and pane layout, nothing that picks or
 * defines a command (defaults.agent, agents, categories, subagents, notification.command) or that
 * loosens the machine's limits (background_task).
 */
export const UNTRUSTED_KEYS: ReadonlyArray<readonly string[]> = [['defaults', 'placement'], ['defaults', 'priority'], ['defaults', 'isolation'], ['defaults', 'sandbox'], ['worktree', 'copy'], ['worktree', 'link'], ['tmux']];

const EntrySchema = z.strictObject({
  dir: z.string().startsWith('/'),
  file: z.string().startsWith('/'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  trustedAt: z.string(),
});
const StoreSchema = z.strictObject({ version: z.literal(1), projects: z.array(EntrySchema).max(10_000) });

export type TrustEntry = z.infer<typeof EntrySchema>;
export type TrustStatus = 'trusted' | 'changed' | 'untrusted';

/** The trust store cannot be used (a `config` error to the CLI: exit 2, with the fix). */
export class TrustStoreError extends ConfigFileError {}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The folder a project file belongs to, as one name whatever symlink led to it. */
export function projectDir(file: string): string {
  return realpathSync(dirname(file));
}

/**
 * The recorded trust. A store another user could have written (not ours, or writable by others)
 * is refused: planting one would make their project file trusted.
 */
export function readTrustStore(env: NodeJS.ProcessEnv): TrustEntry[] {
  const file = trustStoreFile(env);
  if (!existsSync(file)) return [];
  const st = lstatSync(file);
  const uid = process.getuid?.();
  if (!st.isFile() || (uid !== undefined && st.uid !== uid) || st.mode & 0o022) {
    throw new TrustStoreError(`${file} is not a private file of yours (a symlink, another owner, or writable by others): no project is trusted until you remove it and trust again`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TrustStoreError(`${file}: cannot read it (${(err as Error).message}); remove it and trust your projects again`);
  }
  const result = StoreSchema.safeParse(parsed);
  if (!result.success) throw new TrustStoreError(`${file}: not a panecrew trust store (${result.error.issues[0]?.message}); remove it and trust your projects again`);
  return result.data.projects;
}

function writeTrustStore(env: NodeJS.ProcessEnv, projects: TrustEntry[]): void {
  const file = trustStoreFile(env);
  try {
    ensurePrivateDir(dirname(file), true);
  } catch (err) {
    if (err instanceof UnsafeFolderError) throw new TrustStoreError(err.message);
    throw err;
  }
  writeFileAtomic(file, `${JSON.stringify({ version: 1, projects }, null, 2)}\n`, 0o600);
}

/** Whether `file` (whose content hashes to `hash`) is trusted as it is now. */
export function trustOf(entries: TrustEntry[], file: string, hash: string): TrustStatus {
  const entry = entries.find((e) => e.dir === projectDir(file));
  if (!entry) return 'untrusted';
  return entry.sha256 === hash ? 'trusted' : 'changed';
}

/** Records `file`'s folder and content as trusted (replacing an earlier record of that folder). */
export function trustProject(env: NodeJS.ProcessEnv, file: string, hash: string): TrustEntry {
  const dir = projectDir(file);
  const entry: TrustEntry = { dir, file: join(dir, '.panecrew.yaml'), sha256: hash, trustedAt: new Date().toISOString() };
  writeTrustStore(env, [...readTrustStore(env).filter((e) => e.dir !== dir), entry]);
  return entry;
}

/** Forgets the folders in `dirs` (real paths, or as recorded for a folder that is gone); returns those removed. */
export function untrustProjects(env: NodeJS.ProcessEnv, dirs: string[]): string[] {
  const entries = readTrustStore(env);
  const removed = entries.filter((e) => dirs.includes(e.dir)).map((e) => e.dir);
  if (removed.length) writeTrustStore(env, entries.filter((e) => !removed.includes(e.dir)));
  return removed;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The part of a project file's data an untrusted folder keeps, and the dotted paths it loses. */
export function untrustedPart(data: Obj): { kept: Obj; ignored: string[] } {
  const kept: Obj = {};
  const ignored: string[] = [];
  const walk = (node: Obj, out: Obj, prefix: string[]) => {
    for (const [key, value] of Object.entries(node)) {
      const path = [...prefix, key];
      const allowed = UNTRUSTED_KEYS.some((k) => k.length <= path.length && k.every((p, i) => p === path[i]));
      const above = UNTRUSTED_KEYS.some((k) => k.length > path.length && path.every((p, i) => p === k[i]));
      if (allowed) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else if (above && isObj(value)) {
        const sub: Obj = {};
        walk(value, sub, path);
        if (Object.keys(sub).length) Object.defineProperty(out, key, { value: sub, enumerable: true, writable: true, configurable: true });
      } else ignored.push(path.join('.'));
    }
  };
  walk(data, kept, []);
  return { kept, ignored };
}

/** The warning for a project file whose choices were ignored, with the command that trusts it. */
export function untrustedWarning(file: string, status: Exclude<TrustStatus, 'trusted'>, ignored: string[]): string {
  const dir = projectDir(file);
  const what = status === 'changed' ? `${file} changed since you trusted it` : `${file} is not trusted`;
  return `${what}, so it may not choose what runs; ignored: ${ignored.join(', ')}. Read it, then trust it with: panecrew trust ${dir}`;
}
