// `{{ tasks.NAME.result }}` in a plan task's prompt: replaced, when the task starts, by the result
// text of the dependency NAME names (a fanned-out group: each item's, under a header), and
// `.result_file` by its file(s). A command's prompt is a shell program, so there each text goes in
// single-quoted: an agent's output never becomes shell code.
import { DEP_RESULT_MAX_BYTES, resultText } from './task-vars.js';

/** `{{ tasks.NAME.result }}` / `{{ tasks.NAME.result_file }}`, spaces inside the braces optional. */
export const RESULT_TEMPLATE = /\{\{\s*tasks\.([A-Za-z0-9_[\]-]+)\.(result|result_file)\s*\}\}/g;

const shellQuote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/** The prompt with every template whose name is in `refs` replaced; `resultFileOf` maps a task id to its result file. */
export function substituteResults(prompt: string, refs: Record<string, string[]>, resultFileOf: (id: string) => string, forShell: boolean): string {
  return prompt.replace(RESULT_TEMPLATE, (whole, name: string, what: string) => {
    const ids = Object.hasOwn(refs, name) ? refs[name]! : [];
    if (!ids.length) return whole;
    const files = ids.map(resultFileOf);
    let text: string;
    if (what === 'result_file') text = files.join('\n');
    else if (ids.length === 1) text = resultText(files[0]!, DEP_RESULT_MAX_BYTES).replace(/\n$/, '');
    else {
      const each = Math.floor(DEP_RESULT_MAX_BYTES / ids.length);
      text = ids.map((id, i) => `=== result of ${id} ===\n${resultText(files[i]!, each).replace(/\n?$/, '\n')}`).join('').replace(/\n$/, '');
    }
    return forShell ? shellQuote(text) : text;
  });
}
