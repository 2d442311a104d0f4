// `{{ tasks.NAME.result }}` in a plan task's prompt: replaced, when the task starts, by the result
// text of the dependency NAME names (and `.result_file` by its file). A command's prompt is a shell
// program, so there the text goes in single-quoted: an agent's output never becomes shell code.
import { DEP_RESULT_MAX_BYTES, resultText } from './task-vars.js';

/** `{{ tasks.NAME.result }}` / `{{ tasks.NAME.result_file }}`, spaces inside the braces optional. */
export const RESULT_TEMPLATE = /\{\{\s*tasks\.([^\s{}]+?)\.(result|result_file)\s*\}\}/g;

const shellQuote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/** The prompt with every template whose name is in `refs` replaced; `resultFileOf` maps a task id to its result file. */
export function substituteResults(prompt: string, refs: Record<string, string>, resultFileOf: (id: string) => string, forShell: boolean): string {
  return prompt.replace(RESULT_TEMPLATE, (whole, name: string, what: string) => {
    const id = Object.hasOwn(refs, name) ? refs[name] : undefined;
    if (!id) return whole;
    const file = resultFileOf(id);
    const text = what === 'result_file' ? file : resultText(file, DEP_RESULT_MAX_BYTES).replace(/\n$/, '');
    return forShell ? shellQuote(text) : text;
  });
}
