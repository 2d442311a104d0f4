// Bounds on what a config file may be, checked before its values are built: a config file can come
// with a project (.panecrew.yaml), so it must not be able to exhaust memory (a 500k-element list took
// 573 MB; an alias bomb expands exponentially) or reach Object.prototype through a `__proto__` key.
import { isAlias, isCollection, isPair, isScalar, visit, type Document, type LineCounter, type Node } from 'yaml';
import { ConfigFileError } from './errors.js';

export const CONFIG_LIMITS = {
  /** The built-in default.yaml, every option commented, is about 5 KB. */
  fileBytes: 64 * 1024,
  itemsPerCollection: 1000,
  nodes: 10_000,
  /** Alias expansions while building values (the yaml parser's maxAliasCount). */
  aliases: 100,
} as const;

/** Keys that would reach an object's prototype when merged: never option names. */
export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Throws a ConfigFileError at the first node over a limit or the first forbidden key. */
export function checkShape(file: string, doc: Document, lines: LineCounter): void {
  const at = (node: Node | null | undefined) => {
    const pos = lines.linePos(node?.range?.[0] ?? 0);
    return `${file}:${pos.line}:${pos.col}`;
  };
  let nodes = 0;
  let problem: string | null = null;
  visit(doc, (_key, node) => {
    if (++nodes > CONFIG_LIMITS.nodes) {
      problem = `${at(node as Node)}: more than ${CONFIG_LIMITS.nodes} values in one config file; it is refused (a config this large is a mistake or an attack)`;
    } else if (isCollection(node) && node.items.length > CONFIG_LIMITS.itemsPerCollection) {
      problem = `${at(node)}: a list or mapping of ${node.items.length} items; at most ${CONFIG_LIMITS.itemsPerCollection} are allowed`;
    } else if (isPair(node) && isScalar(node.key) && FORBIDDEN_KEYS.has(String(node.key.value))) {
      problem = `${at(node.key)}: "${String(node.key.value)}" cannot be a key in a config file (it would change every object's prototype)`;
    } else if (isPair(node) && isAlias(node.key)) {
      problem = `${at(node.key)}: an alias (*name) cannot be a key in a config file`;
    }
    return problem ? visit.BREAK : undefined;
  });
  if (problem) throw new ConfigFileError(problem);
}
