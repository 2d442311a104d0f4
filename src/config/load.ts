// Merges the layers, validates the result, and explains any error with file:line:column and the option path.
import { isMap, isScalar, type Node } from 'yaml';
import type { z } from 'zod';
import { ConfigSchema, type Config } from './schema.js';
import { DEFAULT_CONFIG_FILE } from './files.js';
import { fileLayers, flagLayer, readYamlLayer, type Layer } from './layers.js';
import { suggest } from '../core/suggest.js';
import { ConfigError } from './errors.js';

export interface LoadedConfig {
  config: Config;
  layers: Layer[];
  /** Dotted leaf path → the layer that set it. */
  sources: Map<string, string>;
  warnings: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets an own property: a key named `__proto__` stays a key (that validation refuses), never a prototype. */
function setOwn(target: Obj, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function mergeInto(target: Obj, source: Obj, label: string, sources: Map<string, string>, prefix: string): void {
  for (const [key, value] of Object.entries(source)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isObj(value) && Object.keys(value).length > 0) {
      // Own properties only: target.__proto__ would be Object.prototype itself.
      if (!Object.hasOwn(target, key) || !isObj(target[key])) setOwn(target, key, {});
      mergeInto(target[key] as Obj, value, label, sources, path);
    } else {
      setOwn(target, key, value);
      for (const k of [...sources.keys()]) if (k.startsWith(`${path}.`)) sources.delete(k);
      sources.set(path, label);
    }
  }
}

function layerLabel(layer: Layer): string {
  return layer.file ? `${layer.name} (${layer.file})` : layer.name;
}

function getIn(data: unknown, path: PropertyKey[]): unknown {
  let node = data;
  for (const part of path) node = isObj(node) ? node[part as string] : undefined;
  return node;
}

/** The node of a mapping key (for unknown options the key is what is wrong, not its value). */
function keyNode(layer: Layer, path: PropertyKey[]): Node | undefined {
  const parent = path.length > 1 ? layer.doc!.getIn(path.slice(0, -1) as unknown[], true) : layer.doc!.contents;
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1]);
  return pair?.key as Node | undefined;
}

/** Where in which file a path was set: the topmost layer that has it (or its nearest parent). */
function locate(layers: Layer[], path: PropertyKey[], atKey = false): string {
  for (let depth = path.length; depth >= 0; depth--) {
    const sub = path.slice(0, depth);
    for (const layer of [...layers].reverse()) {
      if (getIn(layer.data, sub) === undefined) continue;
      if (!layer.doc || !layer.lines) return layer.name === 'flags' ? 'command line (--set)' : layer.name;
      const node = ((atKey && depth === path.length ? keyNode(layer, sub) : undefined) ??
        (sub.length ? layer.doc.getIn(sub as unknown[], true) : layer.doc.contents)) as Node | undefined;
      const offset = node?.range?.[0] ?? 0;
      const pos = layer.lines.linePos(offset);
      return `${layer.file}:${pos.line}:${pos.col}`;
    }
  }
  return 'config';
}

function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isObj(value)) return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function explain(issue: z.core.$ZodIssue, layers: Layer[], merged: Obj, defaults: Obj): string[] {
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys((getIn(defaults, issue.path) as Obj | undefined) ?? {});
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      const hint = suggest(key, known);
      return `${locate(layers, path, true)}: unknown option ${path.join('.')}${hint ? ` (did you mean ${[...issue.path, hint].join('.')}?)` : ''}`;
    });
  }
  // zod says "Invalid input: expected number, received string"; say it once, with the value found.
  const expected = issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message;
  const found = /\bfound\b/.test(expected) ? '' : `; found ${describeFound(getIn(merged, issue.path))}`;
  return [`${locate(layers, issue.path)}: ${issue.path.join('.') || '(top level)'}: ${expected}${found}`];
}

export function validateLayers(layers: Layer[]): LoadedConfig {
  const merged: Obj = {};
  const sources = new Map<string, string>();
  for (const layer of layers) mergeInto(merged, layer.data, layerLabel(layer), sources, '');
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    const defaults = layers[0]?.data ?? {};
    throw new ConfigError(result.error.issues.flatMap((issue) => explain(issue, layers, merged, defaults)));
  }
  const warnings = layers.flatMap((l) => (l.warning ? [l.warning] : []));
  const stale = result.data.background_task.staleTimeoutMs;
  if (stale > 0 && stale < 60_000) {
    warnings.push(`background_task.staleTimeoutMs is ${stale}ms: agents that think for more than that without output will be marked interrupt`);
  }
  return { config: result.data, layers, sources, warnings };
}

export interface LoadOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  sets?: string[];
}

export function loadConfig({ cwd, env, sets = [] }: LoadOptions): LoadedConfig {
  return validateLayers([...fileLayers(cwd, env), flagLayer(sets)]);
}

/** Validates one file on top of the built-in defaults, as `panecrew config check FILE` does. */
export function checkConfigFile(file: string): LoadedConfig {
  return validateLayers([readYamlLayer('built-in', DEFAULT_CONFIG_FILE), readYamlLayer('PANECREW_CONFIG', file)]);
}
