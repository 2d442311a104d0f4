import type { ListedTask } from '../../controller/protocol.js';
import { defineVerb, EXIT, UsageError, withClient } from '../command.js';
import { SUMMARY } from '../summaries.js';

export default defineVerb({
  name: 'focus',
  summary: SUMMARY.focus,
  usage: 'focus ID',
  help: `
Exit codes: 0 focused, 3 the task has no pane (headless or ended), 4 no such task.`,
  options: {},
  allowPositionals: true,
  async run({ positionals }, ctx) {
    if (positionals.length !== 1) throw new UsageError('give exactly one task id');
    const t = await withClient(ctx, (c) => c.request({ op: 'focus', taskId: positionals[0]! }));
    ctx.out(`focused ${t.id} (${t.paneId})`);
    return EXIT.ok;
  },
});
