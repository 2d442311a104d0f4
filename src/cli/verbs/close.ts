import { defineVerb, EXIT, printJson, UsageError, withClient } from '../command.js';
import { SUMMARY } from '../summaries.js';

export default defineVerb({
  name: 'close',
  summary: SUMMARY.close,
  usage: 'close ID [--json]',
  help: `
An interactive agent stays open in its pane after its turn (background_task.keepOpenMs) so that
\`panecrew send\` can give it a follow-up; close ends it now. The task keeps its last turn's result.
An agent still at work is cancelled.

  --json    print the task as JSON

Exit codes: 0 closed, 3 controller unreachable, 4 no such task.`,
  options: { json: { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    if (positionals.length !== 1) throw new UsageError('give exactly one task id');
    const task = await withClient(ctx, (c) => c.request({ op: 'close', taskId: positionals[0]! }));
    if (values.json) printJson(ctx, task);
    else ctx.out(`closed ${task.id} (${task.state})`);
    return EXIT.ok;
  },
});
