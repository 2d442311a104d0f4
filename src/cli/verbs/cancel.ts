import type { ListedTask } from '../../controller/protocol.js';
import { defineVerb, EXIT, printJson, UsageError, withClient } from '../command.js';
import { SUMMARY } from '../summaries.js';

export default defineVerb({
  name: 'cancel',
  summary: SUMMARY.cancel,
  usage: 'cancel ID... | --all [--json]',
  help: `
Options:
  --all     cancel every pending and running task
  --json    print the cancelled tasks as JSON
Exit codes: 0 done, 4 no such task.`,
  options: { all: { type: 'boolean' }, json: { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    if (!values.all && !positionals.length) throw new UsageError('name the tasks to cancel, or use --all');
    if (values.all && positionals.length) throw new UsageError('give task ids or --all, not both');
    const cancelled = await withClient(ctx, (c) =>
      c.request(values.all ? { op: 'cancel', all: true } : { op: 'cancel', taskIds: positionals }),
    );
    if (values.json) printJson(ctx, cancelled);
    else ctx.out(cancelled.length ? cancelled.map((t) => `cancelled ${t.id}`).join('\n') : 'nothing to cancel');
    return EXIT.ok;
  },
});
