// A checked plan file becomes the tasks of one batch: fan-outs expanded, variables filled in, every
// name in `after:` and in a result template checked, cycles refused, each mistake at its place in
// the file. Nothing is submitted here.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { BatchItem } from '../controller/protocol.js';
import { RESULT_TEMPLATE } from '../runner/result-templates.js';
import { PlanError, type Located } from './load.js';
import type { PlanTask } from './schema.js';

export interface ExpandOptions {
  /** The plan file (relative paths in it are from its folder). */
  file: string;
  planId: string;
  artifacts: string;
  /** `--set NAME=VALUE`. */
  set: Record<string, string>;
  /** The agent when neither the task nor the defaults name an agent or category (config defaults.agent). */
  agent?: string;
}

const VAR = /\{\{\s*vars\.([A-Za-z0-9_-]+)\s*\}\}/g;
const ITEM = /\{\{\s*item\s*\}\}/g;
const HAS_ITEM = /\{\{\s*item\s*\}\}/;

export function expandPlan({ plan, at }: Located, opts: ExpandOptions): BatchItem[] {
  const vars = { ...plan.vars };
  for (const [k, v] of Object.entries(opts.set)) {
    if (!Object.hasOwn(vars, k)) throw new PlanError(`--set ${k}: the plan has no variable ${k}${Object.keys(vars).length ? ` (its vars: ${Object.keys(vars).join(', ')})` : '; declare it under vars:'}`);
    vars[k] = v;
  }
  const base = dirname(resolve(opts.file));
  const names = Object.keys(plan.tasks);
  // Each name's tasks in the batch: one, or one per item of its fan-out.
  const nodesOf = new Map<string, string[]>();
  for (const name of names) {
    const over = plan.tasks[name]!.over;
    if (over && !over.length) throw new PlanError(`${at(['tasks', name, 'over'])}: the fan-out of ${name} is empty; list at least one item or remove over:`);
    nodesOf.set(name, over ? over.map((_, i) => `${name}[${i}]`) : [name]);
  }
  for (const name of names) {
    plan.tasks[name]!.after.forEach((dep, i) => {
      if (dep === name) throw new PlanError(`${at(['tasks', name, 'after', i])}: ${name} cannot wait for itself`);
      if (!nodesOf.has(dep)) throw new PlanError(`${at(['tasks', name, 'after', i])}: no task named ${dep} in the plan (its tasks: ${names.join(', ')})`);
    });
  }
  checkCycles(names, (n) => plan.tasks[n]!.after, at);

  const items: BatchItem[] = [];
  for (const name of names) {
    const task = plan.tasks[name]!;
    const promptAt = task.prompt !== undefined ? ['tasks', name, 'prompt'] : ['tasks', name, 'prompt_file'];
    const fill = (text: string, where: PropertyKey[]): string =>
      text.replace(VAR, (_w, v: string) => {
        if (!Object.hasOwn(vars, v)) throw new PlanError(`${at(where)}: {{ vars.${v} }}: the plan has no variable ${v}; declare it under vars:`);
        return vars[v]!;
      });
    const prompt = fill(task.prompt ?? readPromptFile(base, task.prompt_file!, at(promptAt)), promptAt);
    const refs = templateRefs(name, task, prompt, nodesOf, at(promptAt));
    const after = task.after.flatMap((dep) => nodesOf.get(dep)!);
    const title = task.title === undefined ? undefined : fill(task.title, ['tasks', name, 'title']);
    const over = task.over;
    nodesOf.get(name)!.forEach((node, i) => {
      const item = over?.[i];
      const withItem = (text: string) => (item === undefined ? text : text.replace(ITEM, item));
      const itemPrompt = item !== undefined && !HAS_ITEM.test(prompt) ? `${prompt}\n\nItem: ${item}` : withItem(prompt);
      items.push({
        ...launchFields(task, plan.defaults, base, opts.agent),
        ref: node,
        prompt: itemPrompt,
        title: (title !== undefined ? withItem(title) : item !== undefined ? `${name}: ${item}` : name).split('\n')[0]!.slice(0, 200),
        after,
        plan: { id: opts.planId, name: plan.name, node, artifacts: opts.artifacts, refs },
      });
    });
  }
  return items;
}

function readPromptFile(base: string, file: string, where: string): string {
  try {
    return readFileSync(resolve(base, file), 'utf8');
  } catch (err) {
    throw new PlanError(`${where}: prompt_file ${resolve(base, file)}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

type Defaults = Omit<PlanTask, 'prompt' | 'prompt_file' | 'title' | 'after' | 'over'>;

/** The launch fields of a task: its own, else the plan's defaults. */
function launchFields(task: PlanTask, defaults: Defaults, base: string, agent: string | undefined): Omit<BatchItem, 'prompt' | 'after'> {
  const pick = <K extends keyof Defaults>(k: K): Defaults[K] => task[k] ?? defaults[k];
  const named = pick('agent') ?? (pick('category') ? undefined : agent);
  const timeout = pick('timeout');
  return {
    agent: named,
    category: pick('category'),
    model: pick('model'),
    key: pick('key'),
    taskClass: pick('class'),
    cwd: resolve(base, pick('cwd') ?? '.'),
    priority: pick('priority'),
    placement: pick('placement'),
    mode: pick('mode'),
    ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
  };
}

/** Template names → the nodes they stand for; a template may only name what the task waits for. */
function templateRefs(name: string, task: PlanTask, prompt: string, nodesOf: Map<string, string[]>, where: string): Record<string, string[]> {
  const refs: Record<string, string[]> = {};
  for (const [, ref] of prompt.matchAll(RESULT_TEMPLATE)) {
    const base = ref!.replace(/\[\d+\]$/, '');
    const nodes = nodesOf.get(base);
    if (!nodes) throw new PlanError(`${where}: {{ tasks.${ref}.result }}: no task named ${base} in the plan`);
    if (!task.after.includes(base)) throw new PlanError(`${where}: {{ tasks.${ref}.result }}: ${name} does not wait for ${base}, so its result is not there when ${name} starts; add ${base} to its after:`);
    if (ref !== base && !nodes.includes(ref!)) throw new PlanError(`${where}: {{ tasks.${ref}.result }}: ${base} has ${nodes.length} item(s), ${base}[0] to ${base}[${nodes.length - 1}]`);
    refs[ref!] = ref === base ? nodes : [ref!];
  }
  return refs;
}

/** Refuses tasks that wait for each other in a circle, at the first one's after:. */
function checkCycles(names: string[], after: (name: string) => string[], at: Located['at']): void {
  const state = new Map<string, 1 | 2>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 2) return;
    if (state.get(name) === 1) {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw new PlanError(`${at(['tasks', cycle[0]!, 'after'])}: these tasks wait for each other in a circle: ${cycle.join(' → ')}`);
    }
    state.set(name, 1);
    for (const dep of after(name)) visit(dep, [...path, name]);
    state.set(name, 2);
  };
  for (const name of names) visit(name, []);
}
