// `{{ tasks.NAME.result }}` in a plan task's prompt: replaced, when the task starts, by the result
// text of the dependency NAME names (a fanned-out group: each item's, under a header), and
// `.result_file` by its file(s). A command's prompt is a shell program, and no agent's output may
// become shell code there, quoted or not: its templates become "${PANECREW_TEMPLATE_n}", a variable
// holding the text, which the shell expands as one word and never evaluates.
import { DEP_RESULT_MAX_BYTES, resultText } from './task-vars.js';

/** `{{ tasks.NAME.result }}` / `{{ tasks.NAME.result_file }}`, spaces inside the braces optional. */
export const RESULT_TEMPLATE = /\{\{\s*tasks\.([A-Za-z0-9_[\]-]+)\.(result|result_file)\s*\}\}/g;

export interface Templates {
  refs: Record<string, string[]>;
  /** A dependency's result file. */
  resultFileOf(id: string): string;
}

/** The distinct templates of a prompt whose names are known, in order of first use, with their text. */
export function templateValues(prompt: string, { refs, resultFileOf }: Templates): Map<string, string> {
  const values = new Map<string, string>();
  for (const [, name, what] of prompt.matchAll(RESULT_TEMPLATE)) {
    const key = `${name}.${what}`;
    const ids = Object.hasOwn(refs, name!) ? refs[name!]! : [];
    if (!ids.length || values.has(key)) continue;
    const files = ids.map(resultFileOf);
    if (what === 'result_file') values.set(key, files.join('\n'));
    else if (ids.length === 1) values.set(key, resultText(files[0]!, DEP_RESULT_MAX_BYTES).replace(/\n$/, ''));
    else {
      const each = Math.floor(DEP_RESULT_MAX_BYTES / ids.length);
      values.set(key, ids.map((id, i) => `=== result of ${id} ===\n${resultText(files[i]!, each).replace(/\n?$/, '\n')}`).join('').replace(/\n$/, ''));
    }
  }
  return values;
}

/** The variables a command's templates read (PANECREW_TEMPLATE_1…), in the order `substituteResults` numbers them. */
export function templateEnv(prompt: string, templates: Templates): Record<string, string> {
  return Object.fromEntries([...templateValues(prompt, templates).values()].map((text, i) => [`PANECREW_TEMPLATE_${i + 1}`, text]));
}

/** The prompt with every known template replaced: by its text, or for a command by its variable. */
export function substituteResults(prompt: string, templates: Templates, forShell: boolean): string {
  const values = templateValues(prompt, templates);
  const numbers = new Map([...values.keys()].map((key, i) => [key, i + 1]));
  return prompt.replace(RESULT_TEMPLATE, (whole, name: string, what: string) => {
    const key = `${name}.${what}`;
    if (!values.has(key)) return whole;
    return forShell ? `"\${PANECREW_TEMPLATE_${numbers.get(key)}}"` : values.get(key)!;
  });
}
