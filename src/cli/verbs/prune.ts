import { parseDuration } from '../../config/duration.js';
import { defineVerb, EXIT, printJson, UsageError, withClient } from '../command.js';

export default defineVerb({
  name: 'prune',
  summary: 'Forget finished tasks older than the retention (background_task.retentionMs) and delete their folders.',
  usage: 'prune [--older-than DUR] [--json]',
  help: `
Options:
  --older-than DUR   prune tasks that ended more than DUR ago instead (0 = every finished task)
  --json             print the removed ids as JSON`,
  options: { 'older-than': { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }, ctx) {
    let olderThanMs: number | undefined;
    if (typeof values['older-than'] === 'string') {
      const ms = parseDuration(values['older-than']);
      if (ms === null) throw new UsageError(`--older-than ${values['older-than']}: expected a duration such as 0, 1h or 7d`);
      olderThanMs = ms;
    }
    const { removed } = await withClient(ctx, (c) => c.request({ op: 'prune', olderThanMs }));
    if (values.json) printJson(ctx, { removed });
    else ctx.out(`pruned ${removed.length} task${removed.length === 1 ? '' : 's'}`);
    return EXIT.ok;
  },
});
