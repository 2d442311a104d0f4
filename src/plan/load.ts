// A plan file read and checked: YAML mistakes and schema mistakes both say file:line:column.
import { readFileSync, statSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { explainYamlError } from '../config/yaml-errors.js';
import { checkShape } from '../config/yaml-limits.js';
import { PlanFileSchema, type PlanFile } from './schema.js';

/** A plan that cannot run; the message starts with where (file:line:col) and says what to change. */
export class PlanError extends Error {}

const MAX_BYTES = 1024 * 1024;

/** Locates paths in the file the plan came from. */
export interface Located {
  plan: PlanFile;
  /** `file:line:col` of the value at `path` (its key when `atKey`), or of its nearest parent. */
  at(path: PropertyKey[], atKey?: boolean): string;
}

export function readPlanFile(file: string): Located {
  let text: string;
  try {
    if (statSync(file).size > MAX_BYTES) throw new PlanError(`${file}: a plan file is at most ${MAX_BYTES / 1024} KB`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof PlanError) throw err;
    throw new PlanError(`${file}: cannot read the plan file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parsePlan(file, text);
}

/** `label` names the text in messages (a file, or "the plan" for one given inline). */
export function parsePlan(label: string, text: string): Located {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors[0]) throw new PlanError(explainYamlError(label, text, doc.errors[0], lines));
  try {
    checkShape(label, doc, lines);
  } catch (err) {
    throw new PlanError((err as Error).message.replace('config file', 'plan file'));
  }
  const at = (path: PropertyKey[], atKey = false): string => {
    const pos = lines.linePos(nodeAt(doc, path, atKey)?.range?.[0] ?? 0);
    return `${label}:${pos.line}:${pos.col}`;
  };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new PlanError(`${label}: ${(err as Error).message}`);
  }
  const parsed = PlanFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const unknownKey = issue.code === 'unrecognized_keys';
    const path = unknownKey ? [...issue.path, issue.keys[0]!] : issue.path;
    const what = unknownKey ? `unknown field "${issue.keys[0]}"${issue.path.length ? ` in ${issue.path.join('.')}` : ''}; see the plan format in the README` : `${issue.path.join('.') || 'the plan'}: ${issue.message}`;
    throw new PlanError(`${at(path, unknownKey)}: ${what}`);
  }
  return { plan: parsed.data, at };
}

/** The node at `path`, else its nearest parent that exists. */
function nodeAt(doc: Document, path: PropertyKey[], atKey: boolean): Node | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const sub = path.slice(0, depth) as unknown[];
    if (atKey && depth === path.length && depth > 0) {
      const parent = depth > 1 ? doc.getIn(sub.slice(0, -1), true) : doc.contents;
      const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === sub.at(-1)) : undefined;
      if (pair) return pair.key as Node;
      continue;
    }
    const node = (depth ? doc.getIn(sub, true) : doc.contents) as Node | undefined;
    if (node) return node;
  }
  return undefined;
}
