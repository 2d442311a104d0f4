// Where the configuration layers live: no yaml, no zod, so that a verb can find (and stamp) the
// files without loading what parses them.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { xdgConfigHome } from '../core/paths.js';

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_CONFIG_FILE = join(PACKAGE_ROOT, 'config', 'default.yaml');

export function userConfigFile(env: NodeJS.ProcessEnv): string {
  return join(xdgConfigHome(env), 'panecrew', 'config.yaml');
}

export function trustStoreFile(env: NodeJS.ProcessEnv): string {
  return join(xdgConfigHome(env), 'panecrew', 'trusted-projects.json');
}

/** The nearest `.panecrew.yaml` from `cwd` upwards. */
export function findProjectConfig(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, '.panecrew.yaml');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
