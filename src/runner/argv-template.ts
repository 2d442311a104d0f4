// Argv templates: an agent's command line as an array with placeholders, expanded per element by
// plain string substitution. Nothing here ever goes through a shell: `{prompt}` becomes exactly one
// argv element whatever it contains, and substituted text is never scanned again.
//
// Rules
//  - `{name}` is replaced by the value of placeholder `name` (see PLACEHOLDERS). Several placeholders
//    may share an element: "{task_dir}/events.jsonl", "--model={model}".
//  - `{{` and `}}` stand for a literal `{` and `}` (e.g. a bash brace expansion in a user profile).
//  - A `{lowercase_name}` that is not a known placeholder is an error at config validation time.
//  - Optional pair: an element starting with `?` is optional. When any placeholder in it is unset or
//    empty, that element AND THE ONE BEFORE IT are dropped: ["--model", "?{model_name}"] gives
//    ["--model", "claude-opus-4-5"] with a model and nothing without one. Otherwise the `?` is
//    removed and the element expands normally. An optional element must contain a placeholder and
//    follow a plain (non-optional) element. A literal leading `?` is written `??`.
//  - A placeholder in a plain element whose value is unset is an error at expansion time (say what
//    is missing rather than pass an empty argument); an empty string value is passed as it is.
import path from 'node:path';

/**
 * prompt        the task prompt text, as one argument
 * prompt_file   absolute path of a file holding the prompt (tasks/<id>/prompt.md)
 * model         the model as configured, usually provider/model: "anthropic/claude-opus-4-5"
 * model_name    the part after the first slash: "claude-opus-4-5" (the whole model when no slash)
 * provider      who bills the task: the profile's provider, else the model's prefix
 * cwd           the task's working directory
 * task_id       e.g. bg_1a2b3c4d
 * task_dir      absolute path of the task folder (spec.json, output.log, events.jsonl, …)
 * panecrew      absolute path of the panecrew CLI entry script (for the built-in agent)
 * node          process.execPath of the controller, so the built-in agent runs on the same Node
 * session_id    the agent's own session id, for an interactive profile's `resume` arguments
 */
export const PLACEHOLDERS = ['prompt', 'prompt_file', 'model', 'model_name', 'provider', 'cwd', 'task_id', 'task_dir', 'panecrew', 'node', 'session_id'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type ArgvVars = Partial<Record<Placeholder, string>>;

const KNOWN = new Set<string>(PLACEHOLDERS);
const TOKEN_RE = /\{\{|\}\}|\{([a-z_][a-z0-9_]*)\}/g;

export class ArgvTemplateError extends Error {
  override name = 'ArgvTemplateError';
}

interface ParsedElement {
  optional: boolean;
  body: string;
  placeholders: string[];
}

function parseElement(element: string): ParsedElement {
  let optional = false;
  let body = element;
  if (body.startsWith('??')) body = body.slice(1);
  else if (body.startsWith('?')) {
    optional = true;
    body = body.slice(1);
  }
  const placeholders: string[] = [];
  for (const m of body.matchAll(TOKEN_RE)) if (m[1] !== undefined) placeholders.push(m[1]);
  return { optional, body, placeholders };
}

/** The placeholders a template uses, for checks such as "does this profile take the prompt in argv". */
export function placeholdersIn(template: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const el of template) for (const p of parseElement(el).placeholders) found.add(p);
  return found;
}

export interface TemplateIssue {
  /** Index of the offending element in the template. */
  index: number;
  message: string;
}

/** Checks a template without expanding it; an empty list means it is valid. */
export function validateArgvTemplate(template: readonly string[]): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  if (template.length === 0) return [{ index: 0, message: 'the command is empty: give at least the executable' }];
  template.forEach((element, index) => {
    const el = parseElement(element);
    for (const name of el.placeholders) {
      if (!KNOWN.has(name)) {
        issues.push({
          index,
          message: `unknown placeholder {${name}} in ${JSON.stringify(element)}; known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')} (write {{ and }} for literal braces)`,
        });
      }
    }
    if (el.optional) {
      if (index === 0) issues.push({ index, message: `the executable ${JSON.stringify(element)} cannot be optional` });
      else if (el.placeholders.length === 0)
        issues.push({ index, message: `optional element ${JSON.stringify(element)} has no placeholder, so it would never be dropped (write ?? for a literal ?)` });
      else if (parseElement(template[index - 1]!).optional)
        issues.push({ index, message: `optional element ${JSON.stringify(element)} follows another optional element; an optional element drops the plain element before it` });
    }
    if (index === 0 && el.placeholders.includes('prompt')) issues.push({ index, message: 'the executable cannot come from {prompt}' });
  });
  return issues;
}

function substitute(body: string, vars: ArgvVars): string {
  return body.replace(TOKEN_RE, (token, name: string | undefined) => {
    if (name === undefined) return token === '{{' ? '{' : '}';
    return vars[name as Placeholder] ?? '';
  });
}

/**
 * Expands a template into an argv array. Throws ArgvTemplateError for an unknown placeholder or a
 * plain element whose placeholder has no value; templates from config were validated already.
 */
export function expandArgv(template: readonly string[], vars: ArgvVars): string[] {
  const out: string[] = [];
  template.forEach((element, index) => {
    const el = parseElement(element);
    const unknown = el.placeholders.find((p) => !KNOWN.has(p));
    if (unknown !== undefined) throw new ArgvTemplateError(`command element ${index} ${JSON.stringify(element)}: unknown placeholder {${unknown}}`);
    if (el.optional) {
      if (el.placeholders.some((p) => !vars[p as Placeholder])) {
        if (index > 0) out.pop();
        return;
      }
    } else {
      const missing = el.placeholders.find((p) => vars[p as Placeholder] === undefined);
      if (missing !== undefined) {
        throw new ArgvTemplateError(
          `command element ${index} ${JSON.stringify(element)} needs {${missing}}, which has no value for this task` +
            (missing === 'model' || missing === 'model_name' ? '; set a model (or default_model), or mark the element optional with "?"' : ''),
        );
      }
    }
    out.push(substitute(el.body, vars));
  });
  return out;
}

/** The model name without its provider prefix: "anthropic/claude-opus-4-5" → "claude-opus-4-5". */
export function modelName(model: string): string {
  const slash = model.indexOf('/');
  return slash === -1 ? model : model.slice(slash + 1);
}

/** The provider prefix of a model, if it has one: "anthropic/claude-opus-4-5" → "anthropic". */
export function modelProvider(model: string): string | undefined {
  const slash = model.indexOf('/');
  return slash > 0 ? model.slice(0, slash) : undefined;
}

export interface TaskArgvInput {
  prompt: string;
  promptFile: string;
  model?: string | null;
  provider?: string;
  cwd: string;
  taskId: string;
  taskDir: string;
  /** Absolute path of the panecrew CLI entry (dist/cli/main.js). */
  panecrew: string;
}

/** The placeholder values for one task; `{node}` is this process's Node. */
export function argvVars(input: TaskArgvInput): ArgvVars {
  const vars: ArgvVars = {
    prompt: input.prompt,
    prompt_file: input.promptFile,
    cwd: input.cwd,
    task_id: input.taskId,
    task_dir: input.taskDir,
    panecrew: path.resolve(input.panecrew),
    node: process.execPath,
  };
  if (input.model) {
    vars.model = input.model;
    vars.model_name = modelName(input.model);
  }
  const provider = input.provider ?? (input.model ? modelProvider(input.model) : undefined);
  if (provider) vars.provider = provider;
  return vars;
}
