import { parseDuration } from '../../core/duration.js';
import type { ListedTask } from '../../controller/protocol.js';
import { isFinal } from '../../core/task.js';
import { ClientError } from '../../controller/client.js';
import { defineVerb, EXIT, printJson, UsageError, withClient } from '../command.js';
import { paint, STATE_SYMBOL } from '../../render/format.js';
import { SUMMARY } from '../summaries.js';

export default defineVerb({
  name: 'wait',
  summary: SUMMARY.wait,
  usage: 'wait [ID...] [--all] [--timeout DUR] [--json]',
  help: `
Options:
  --all            wait for every task that is pending or running now
  --timeout DUR    give up after DUR (e.g. 30s, 5m)
  --json           print the ended tasks as JSON
Exit codes: 0 all completed, 1 any ended otherwise (error, cancelled, interrupt),
4 no such task, 124 timed out.`,
  options: { all: { type: 'boolean' }, timeout: { type: 'string' }, json: { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    if (!values.all && !positionals.length) throw new UsageError('name the tasks to wait for, or use --all');
    let timeoutMs: number | null = null;
    if (typeof values.timeout === 'string') {
      timeoutMs = parseDuration(values.timeout);
      if (timeoutMs === null) throw new UsageError(`--timeout ${values.timeout}: expected a duration such as 30s or 5m`);
    }
    return withClient(ctx, async (c) => {
      const latest = new Map<string, ListedTask>();
      // Every event since subscribing, so an ending that arrives before the reading below still counts.
      const seen = new Map<string, ListedTask>();
      let check: () => void = () => {};
      await c.subscribe((e) => {
        if (e.event !== 'task') return;
        seen.set(e.task.id, e.task);
        if (latest.has(e.task.id)) {
          latest.set(e.task.id, e.task);
          check();
        }
      });
      const initial = values.all
        ? (await c.request<ListedTask[]>({ op: 'list', all: false })).filter((t) => !isFinal(t.state))
        : await Promise.all(positionals.map((taskId) => c.request<ListedTask>({ op: 'get', taskId })));
      for (const t of initial) latest.set(t.id, seen.get(t.id) && isFinal(seen.get(t.id)!.state) ? seen.get(t.id)! : t);
      const ended = await new Promise<boolean>((resolve, reject) => {
        c.onClose(() => reject(new ClientError('unavailable', 'the controller went away while waiting; its tasks keep running: panecrew ls')));
        const timer = timeoutMs !== null ? setTimeout(() => resolve(false), timeoutMs) : undefined;
        check = () => {
          if ([...latest.values()].every((t) => isFinal(t.state))) {
            clearTimeout(timer);
            resolve(true);
          }
        };
        check();
      });
      const tasks = [...latest.values()];
      if (values.json) printJson(ctx, tasks);
      else for (const t of tasks) ctx.out(`${t.id}  ${paint(`${STATE_SYMBOL[t.state]} ${t.state}`, t.state, ctx.color)}  ${t.reason ?? t.resultPreview?.split('\n')[0] ?? ''}`);
      if (!ended) {
        if (!values.json) ctx.err(`panecrew wait: timed out with ${tasks.filter((t) => !isFinal(t.state)).length} task(s) still active`);
        return EXIT.timeout;
      }
      return tasks.every((t) => t.state === 'completed') ? EXIT.ok : EXIT.failed;
    });
  },
});
