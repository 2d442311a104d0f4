import type { ListedTask } from '../../controller/protocol.js';
import { defineVerb, EXIT, printJson, UsageError, withClient } from '../command.js';
import { SUMMARY } from '../summaries.js';

export default defineVerb({
  name: 'relaunch',
  summary: SUMMARY.relaunch,
  usage: 'relaunch ID [--json]',
  help: `
Options:
  --json    print the new task as JSON instead of its id
Exit codes: 0 queued, 3 the task is still active, 4 no such task.`,
  options: { json: { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    if (positionals.length !== 1) throw new UsageError('give exactly one task id');
    const t = await withClient(ctx, (c) => c.request({ op: 'relaunch', taskId: positionals[0]! }));
    if (values.json) printJson(ctx, t);
    else ctx.out(t.id);
    return EXIT.ok;
  },
});
