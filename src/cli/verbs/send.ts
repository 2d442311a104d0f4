import { defineVerb, EXIT, printJson, UsageError, withClient } from '../command.js';
import { SUMMARY } from '../summaries.js';

export default defineVerb({
  name: 'send',
  summary: SUMMARY.send,
  usage: 'send ID TEXT... [--json]',
  help: `
The text is typed into the agent's input in its pane and submitted, as if the person typed it; the
agent's own prompt-submitted signal confirms it, and the task is running again. Its next result
replaces the last (each turn's result stays in tasks/<id>/turns/).

  --json    print {task, confirmed} as JSON

Exit codes: 0 sent and confirmed, 1 typed but the agent did not confirm it within ten seconds,
3 refused (the task is not an open interactive agent, or it waits for the person), 4 no such task.`,
  options: { json: { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const [taskId, ...words] = positionals;
    if (!taskId || !words.length) throw new UsageError('give a task id and the text to send');
    const reply = await withClient(ctx, (c) => c.request({ op: 'send', taskId, text: words.join(' ') }));
    if (values.json) printJson(ctx, reply);
    else ctx.out(reply.confirmed ? `sent to ${taskId}: it is ${reply.task.state}` : `typed into ${taskId}'s pane, but the agent has not confirmed it yet (panecrew focus ${taskId} to look)`);
    return reply.confirmed ? EXIT.ok : EXIT.failed;
  },
});
