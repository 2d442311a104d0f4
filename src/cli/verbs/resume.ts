import { defineVerb, EXIT, printJson, UsageError, withClient } from '../command.js';
import { SUMMARY } from '../summaries.js';

export default defineVerb({
  name: 'resume',
  summary: SUMMARY.resume,
  usage: 'resume ID TEXT... [--json]',
  help: `
For a completed task whose interactive agent was closed (panecrew close, or its keepOpenMs ran
out): its agent starts again in a pane, in the conversation it had (its profile's
interactive.resume arguments, e.g. claude --resume SESSION, codex resume SESSION), with TEXT as its
next prompt. The task runs again; its next result replaces the last. For an agent still open, use
panecrew send.

  --json    print the task as JSON

Exit codes: 0 resumed, 3 refused (still open, not completed, never interactive, or its profile
cannot resume), 4 no such task.`,
  options: { json: { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const [taskId, ...words] = positionals;
    if (!taskId || !words.length) throw new UsageError('give a task id and the text to send');
    const task = await withClient(ctx, (c) => c.request({ op: 'resume', taskId, text: words.join(' ') }));
    if (values.json) printJson(ctx, task);
    else ctx.out(`resumed ${task.id}: it is ${task.state}`);
    return EXIT.ok;
  },
});
