// Finding and reading the configuration layers: built-in < user < project < PANECREW_CONFIG < flags.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { DEFAULT_CONFIG_FILE, findProjectConfig, userConfigFile } from './files.js';
import { ConfigFileError } from './errors.js';
import { readTrustStore, sha256, trustOf, TrustStoreError, untrustedPart, untrustedWarning, type TrustStatus } from './trust.js';
import { explainYamlError } from './yaml-errors.js';
import { checkShape, CONFIG_LIMITS, FORBIDDEN_KEYS } from './yaml-limits.js';

export type LayerName = 'built-in' | 'user' | 'project' | 'PANECREW_CONFIG' | 'flags';

export interface Layer {
  name: LayerName;
  file?: string;
  data: Record<string, unknown>;
  doc?: Document;
  lines?: LineCounter;
  /** sha256 of the file's text, as parsed (a project file is trusted by it). */
  sha256?: string;
  /** Why part of the layer was set aside (an untrusted project file). */
  warning?: string;
}


/**
 * YAML text to values, refusing what could hurt (limits, forbidden keys, alias bombs) with
 * `label:line:col` and a sentence. `label` is the file, or `--set PATH` for a flag's value.
 */
function parseYaml(label: string, text: string): { data: unknown; doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) throw new ConfigFileError(explainYamlError(label, text, first, lines));
  checkShape(label, doc, lines);
  try {
    return { data: doc.toJS({ maxAliasCount: CONFIG_LIMITS.aliases }), doc, lines };
  } catch (err) {
    // yaml throws a ReferenceError when aliases expand past maxAliasCount (a "billion laughs" file).
    let first: Node | undefined;
    visit(doc, { Alias: (_k, node) => ((first = node), visit.BREAK) });
    const pos = lines.linePos(first?.range?.[0] ?? 0);
    throw new ConfigFileError(`${label}:${pos.line}:${pos.col}: aliases (*name) here expand more than ${CONFIG_LIMITS.aliases} times; refused as a resource exhaustion attack (${(err as Error).message})`);
  }
}

export function readYamlLayer(name: LayerName, file: string): Layer {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > CONFIG_LIMITS.fileBytes) {
      throw new ConfigFileError(`${file}: the config file is ${Math.round(size / 1024)} KB; at most ${CONFIG_LIMITS.fileBytes / 1024} KB is read`);
    }
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof ConfigFileError) throw err;
    throw new ConfigFileError(`${file}: cannot read the config file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const parsed = parseYaml(file, text);
  const { doc, lines } = parsed;
  const data = parsed.data ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigFileError(`${file}:1:1: expected a mapping of options at the top level, found ${Array.isArray(data) ? 'a list' : typeof data}`);
  }
  return { name, file, data: data as Record<string, unknown>, doc, lines, sha256: sha256(text) };
}

/** A project file keeps only what an untrusted folder may set until its folder is trusted as it is now. */
function projectLayer(file: string, env: NodeJS.ProcessEnv): Layer {
  const layer = readYamlLayer('project', file);
  let status: TrustStatus;
  let storeProblem = '';
  try {
    status = trustOf(readTrustStore(env), file, layer.sha256!);
  } catch (err) {
    if (!(err instanceof TrustStoreError)) throw err;
    status = 'untrusted';
    storeProblem = ` (${err.message})`;
  }
  if (status === 'trusted') return layer;
  const { kept, ignored } = untrustedPart(layer.data);
  if (!ignored.length) return layer;
  return { ...layer, data: kept, warning: untrustedWarning(file, status, ignored) + storeProblem };
}

export function fileLayers(cwd: string, env: NodeJS.ProcessEnv): Layer[] {
  const layers = [readYamlLayer('built-in', DEFAULT_CONFIG_FILE)];
  const user = userConfigFile(env);
  if (existsSync(user)) layers.push(readYamlLayer('user', user));
  const project = findProjectConfig(cwd);
  if (project) layers.push(projectLayer(project, env));
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
    const bad = path.find((p) => FORBIDDEN_KEYS.has(p));
    if (bad) throw new ConfigFileError(`--set ${set}: "${bad}" is not an option name`);
    const value = parseYaml(`--set ${set.slice(0, eq)}`, set.slice(eq + 1)).data;
    let node = data;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      node = (typeof next === 'object' && next !== null ? next : (node[part] = {})) as Record<string, unknown>;
    }
    node[path[path.length - 1]!] = value;
  }
  return { name: 'flags', data };
}
