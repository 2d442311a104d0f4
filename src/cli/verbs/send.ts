import { defineVerb, EXIT, printJson, UsageError, withClient } from '../command.js';
import { SUMMARY } from '../summaries.js';

const SAID = {
  confirmed: (id: string, state: string) => `sent to ${id}: it is ${state}`,
  unconfirmed: (id: string) => `typed into ${id}'s pane, but the agent has not confirmed it yet (panecrew focus ${id} to look)`,
  queued: (id: string) => `someone is typing in ${id}'s input: your text waits, and is typed once theirs is sent or cleared`,
};

export default defineVerb({
  name: 'send',
  summary: SUMMARY.send,
  usage: 'send ID TEXT... [--json]',
  help: `
The text is typed into the agent's input in its pane and submitted, as if the person typed it; the
agent's own prompt-submitted signal confirms it, and the task is running again. Its next result
replaces the last (each turn's result stays in tasks/<id>/turns/).

Someone's half-typed text in the agent's input is never mixed with yours: yours waits until theirs
is sent or cleared (up to ten minutes), and send says so.

  --json    print {task, outcome} as JSON (outcome: confirmed, unconfirmed, queued)

Exit codes: 0 sent and confirmed, or waiting for the person's input, 1 typed but the agent did not
confirm it within ten seconds,
3 refused (the task is not an open interactive agent, or it waits for the person), 4 no such task.`,
  options: { json: { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const [taskId, ...words] = positionals;
    if (!taskId || !words.length) throw new UsageError('give a task id and the text to send');
    const reply = await withClient(ctx, (c) => c.request({ op: 'send', taskId, text: words.join(' ') }));
    if (values.json) printJson(ctx, reply);
    else ctx.out(SAID[reply.outcome](taskId, reply.task.state));
    return reply.outcome === 'unconfirmed' ? EXIT.failed : EXIT.ok;
  },
});
