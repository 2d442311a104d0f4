// The environment variables panecrew gives every task, with what each holds (the README's table is
// checked against TASK_VARIABLES), and the bounded copy of a dependency's result they carry.
import { readHead } from '../core/read-head.js';
import { utf8Boundary } from '../core/utf8.js';

/** Name (`n` is a dependency's number, from 1, in `--after` order) and what it holds. */
export const TASK_VARIABLES: ReadonlyArray<readonly [string, string]> = [
  ['PANECREW_TASK_ID', "the task's id (`bg_…`)"],
  ['PANECREW_TASK_DIR', "the task's folder (spec.json, output.log, events.jsonl, result.md)"],
  ['PANECREW_EVENTS_FILE', 'the file an agent may append panecrew events to (JSON lines: progress, usage, result)'],
  ['PANECREW_RESULT_FILE', 'the file whose text becomes the result, if the agent writes it'],
  ['PANECREW_MODEL', "the task's model (`provider/name`), when it has one"],
  ['PANECREW_PLAN_ID', "the plan's id (`pl_…`), for a task of a plan (`panecrew plan run`)"],
  ['PANECREW_PLAN_DIR', "the plan's artifacts folder, shared by its tasks; each task's result is copied there as NAME.md when it ends"],
  ['PANECREW_TEMPLATE_n', 'for a command (the `shell` agent) of a plan: the text of the n-th `{{ tasks.NAME.result }}` of its prompt, which panecrew replaced by `"${PANECREW_TEMPLATE_n}"` so that no result is run as code'],
  ['PANECREW_DEP_COUNT', 'how many tasks this one waited for with `--after` (set only then, as are the next five)'],
  ['PANECREW_DEP_n_ID', 'the id of the n-th of them'],
  ['PANECREW_DEP_n_RESULT', 'its result text: at most 64 KB (less each beyond 4 dependencies: 256 KB in all), cut at a line when it can be, with a closing `[panecrew: result cut …]` line naming the file when cut'],
  ['PANECREW_DEP_n_RESULT_FILE', 'the file holding its whole result'],
  ['PANECREW_DEP_RESULTS', 'every result text in order, each after a line `=== result of ID ===`: 64 KB in all, shared alike, cut as above'],
  ['PANECREW_DEP_RESULT_FILES', 'every result file, one per line, in order'],
];

/** A result handed over in one variable; Linux refuses any single variable over 128 KB. */
export const DEP_RESULT_MAX_BYTES = 64 * 1024;
/** All of a task's `PANECREW_DEP_n_RESULT` together: the whole environment must stay well under 2 MB. */
export const DEP_RESULTS_TOTAL_BYTES = 256 * 1024;

/**
 * A result file's text in at most `limit` bytes. A variable cannot hold NUL (and run.nul is
 * NUL-separated), so NULs are dropped. A longer text is cut at a character boundary, at the last line
 * end when that keeps at least half, and ends with a line saying so and naming the whole file.
 */
export function resultText(file: string, limit: number): string {
  const { head, size } = readHead(file, limit + 1);
  const bytes = Buffer.from(head.filter((b) => b !== 0));
  if (size <= limit) return bytes.toString('utf8');
  const note = `[panecrew: result cut here, ${size} bytes in all; the whole result: ${file}]\n`;
  const room = Math.max(0, limit - Buffer.byteLength(note) - 1);
  let end = utf8Boundary(bytes.subarray(0, Math.min(room, bytes.length)));
  const lineEnd = bytes.lastIndexOf(0x0a, end - 1);
  if (lineEnd >= 0 && lineEnd + 1 >= end / 2) end = lineEnd + 1;
  const kept = bytes.subarray(0, end).toString('utf8');
  return `${kept}${kept && !kept.endsWith('\n') ? '\n' : ''}${note}`;
}
