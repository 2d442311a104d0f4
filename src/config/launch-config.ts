// The part of the configuration `panecrew launch` reads (launch defaults, isolation by category and
// subagent type, worktree options) and the load's warnings, cached so that a launch loads neither
// yaml nor zod (issue 16: they were most of its start-up). An entry records every file the full load
// read or looked for (stat: device, inode, size, mtime and ctime in ns, or its absence; the project's
// real folder, which its trust is recorded by) and serves only while all of them are as recorded: an
// edit, a new project file, a trust change, a moved symlink or another build misses.
import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CLI_ENTRY, xdgConfigHome } from '../core/paths.js';
import { DEFAULT_CONFIG_FILE, findProjectConfig, trustStoreFile, userConfigFile } from './files.js';
import type { Config } from './schema.js';

export type LaunchConfig = Pick<Config, 'defaults' | 'categories' | 'subagents' | 'worktree'>;
export interface LaunchConfigLoad {
  config: LaunchConfig;
  warnings: string[];
  /** Served from the cache (no file read but the stamps'). */
  cached: boolean;
}

const VERSION = 2;

/**
 * A file changed this close before its stamp may change again within the same tick of the file
 * system's clock (a jiffy, ≤ 10 ms) after the load read it, leaving every stamp as it was (git's
 * "racy clean"). An entry with such a file is not written: the next launch loads in full.
 */
export const RACY_MS = 100;

interface Stamps {
  text: string;
  /** The latest ctime among the files, in ms. */
  newestMs: number;
}

function cacheDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'panecrew', 'launch');
}

/** Every input of loadConfig({cwd, env}) but the files' bytes, which their stamps stand for. */
function stampsOf(cwd: string, env: NodeJS.ProcessEnv): Stamps {
  const files = [CLI_ENTRY, DEFAULT_CONFIG_FILE, userConfigFile(env), trustStoreFile(env)];
  if (env.PANECREW_CONFIG) files.push(resolve(cwd, env.PANECREW_CONFIG));
  const project = findProjectConfig(cwd);
  if (project) files.push(project);
  let newestMs = 0;
  const lines = files.map((file) => {
    let st;
    try {
      st = statSync(file, { throwIfNoEntry: false, bigint: true });
    } catch (err) {
      return `${file} ${(err as NodeJS.ErrnoException).code}`; // the full load reports (or skips) it
    }
    if (!st) return `${file} absent`;
    newestMs = Math.max(newestMs, Number(st.ctimeNs / 1_000_000n));
    return `${file} ${st.dev} ${st.ino} ${st.size} ${st.mtimeNs} ${st.ctimeNs}`;
  });
  // Trust is recorded by the project's real folder: a symlink on its path moved elsewhere may lead to
  // the same file (a hard link) in a folder trusted differently.
  lines.push(project ? `project folder ${realFolder(project)}` : `no project file above ${resolve(cwd)}`);
  return { text: lines.join('\n'), newestMs };
}

function realFolder(file: string): string {
  try {
    return realpathSync(dirname(file));
  } catch {
    return 'gone'; // removed meanwhile: the full load says what that means
  }
}

/** FNV-1a: a file name per cwd and environment (the entry holds the whole key; a clash only misses). */
function nameOf(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return `${(h >>> 0).toString(16).padStart(8, '0')}.json`;
}

/** The entry, if it is this user's own file, not writable by others, and for exactly this key and stamps. */
function readEntry(file: string, key: string, stamps: Stamps): LaunchConfigLoad | null {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || (process.getuid && st.uid !== process.getuid()) || st.mode & 0o022) return null;
    const entry = JSON.parse(readFileSync(fd, 'utf8')) as Record<string, unknown>;
    if (entry.v !== VERSION || entry.key !== key || entry.stamps !== stamps.text) return null;
    const { config, warnings } = entry as { config?: LaunchConfig; warnings?: unknown };
    if (typeof config?.defaults?.agent !== 'string' || !Array.isArray(warnings) || !warnings.every((w) => typeof w === 'string')) return null;
    return { config, warnings, cached: true };
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** loadConfig's answer for what launch reads, from the cache when nothing it depends on changed. */
export async function loadLaunchConfig(cwd: string, env: NodeJS.ProcessEnv): Promise<LaunchConfigLoad> {
  const key = JSON.stringify([resolve(cwd), env.PANECREW_CONFIG ?? null, xdgConfigHome(env)]);
  const dir = cacheDir(env);
  const file = join(dir, nameOf(key));
  const stampedAt = Date.now(); // before the stamps: a change after this is within RACY_MS of it
  const stamps = stampsOf(cwd, env);
  const cached = readEntry(file, key, stamps);
  if (cached) return cached;
  const [{ loadConfig }, { ensurePrivateDir }, { writeFileAtomic }] = await Promise.all([import('./load.js'), import('../core/private-dir.js'), import('../core/atomic-write.js')]);
  const { config, warnings } = loadConfig({ cwd, env });
  const loaded = { config: { defaults: config.defaults, categories: config.categories, subagents: config.subagents, worktree: config.worktree }, warnings };
  // Stamped before the load read the files: a file edited during the load misses next time, unless
  // the edit could leave its stamp as it was.
  if (stamps.newestMs >= stampedAt - RACY_MS) return { ...loaded, cached: false };
  try {
    ensurePrivateDir(dir, true);
    writeFileAtomic(file, JSON.stringify({ v: VERSION, key, stamps: stamps.text, ...loaded }), 0o600);
  } catch {
    // No cache (a read-only home, a folder not ours): every launch loads the config, as before.
  }
  return { ...loaded, cached: false };
}
