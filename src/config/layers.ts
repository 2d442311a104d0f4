// Finding and reading the configuration layers: built-in < user < project < PANECREW_CONFIG < flags.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { xdgConfigHome } from '../core/paths.js';
import { ConfigFileError } from './errors.js';

export type LayerName = 'built-in' | 'user' | 'project' | 'PANECREW_CONFIG' | 'flags';

export interface Layer {
  name: LayerName;
  file?: string;
  data: Record<string, unknown>;
  doc?: Document;
  lines?: LineCounter;
}

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_CONFIG_FILE = join(PACKAGE_ROOT, 'config', 'default.yaml');

export function readYamlLayer(name: LayerName, file: string): Layer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigFileError(`${file}: cannot read the config file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const pos = lines.linePos(first.pos[0]);
    throw new ConfigFileError(`${file}:${pos.line}:${pos.col}: invalid YAML: ${first.message.split('\n')[0]}`);
  }
  const data = doc.toJS() ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigFileError(`${file}:1:1: expected a mapping of options at the top level, found ${Array.isArray(data) ? 'a list' : typeof data}`);
  }
  return { name, file, data: data as Record<string, unknown>, doc, lines };
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

export function fileLayers(cwd: string, env: NodeJS.ProcessEnv): Layer[] {
  const layers = [readYamlLayer('built-in', DEFAULT_CONFIG_FILE)];
  const user = join(xdgConfigHome(env), 'panecrew', 'config.yaml');
  if (existsSync(user)) layers.push(readYamlLayer('user', user));
  const project = findProjectConfig(cwd);
  if (project) layers.push(readYamlLayer('project', project));
  if (env.PANECREW_CONFIG) layers.push(readYamlLayer('PANECREW_CONFIG', resolve(cwd, env.PANECREW_CONFIG)));
  return layers;
}

/** `--set a.b.c=VALUE` flags; the value is read as YAML so numbers, booleans and lists work. */
export function flagLayer(sets: string[]): Layer {
  const data: Record<string, unknown> = {};
  for (const set of sets) {
    const eq = set.indexOf('=');
    if (eq <= 0) throw new ConfigFileError(`--set ${set}: expected PATH=VALUE, e.g. --set background_task.defaultConcurrency=3`);
    const path = set.slice(0, eq).split('.');
    const value = parseDocument(set.slice(eq + 1)).toJS();
    let node = data;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      node = (typeof next === 'object' && next !== null ? next : (node[part] = {})) as Record<string, unknown>;
    }
    node[path[path.length - 1]!] = value;
  }
  return { name: 'flags', data };
}
