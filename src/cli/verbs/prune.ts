import { defineVerb, EXIT, printJson, withClient } from '../command.js';
import { durationOption } from '../duration-option.js';
import { SUMMARY } from '../summaries.js';

export default defineVerb({
  name: 'prune',
  summary: SUMMARY.prune,
  usage: 'prune [--older-than DUR] [--json]',
  help: `
Options:
  --older-than DUR   prune tasks that ended more than DUR ago instead (1h, 7d; a bare number is
                     seconds; 0 = every finished task)
  --json             print the removed ids as JSON`,
  options: { 'older-than': { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }, ctx) {
    const olderThan = values['older-than'] as string | undefined;
    const olderThanMs = olderThan === undefined ? undefined : durationOption('--older-than', olderThan, { allowZero: true });
    const { removed } = await withClient(ctx, (c) => c.request({ op: 'prune', olderThanMs }));
    if (values.json) printJson(ctx, { removed });
    else ctx.out(`pruned ${removed.length} task${removed.length === 1 ? '' : 's'}`);
    return EXIT.ok;
  },
});
