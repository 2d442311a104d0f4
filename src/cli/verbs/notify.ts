import type { ChannelReport } from '../../notify/index.js';
import { defineVerb, EXIT, printJson, UsageError, withClient } from '../command.js';
import { originFromEnv } from '../../controller/launch-env.js';
import { SUMMARY } from '../summaries.js';

export default defineVerb({
  name: 'notify',
  summary: SUMMARY.notify,
  usage: 'notify test [--json]',
  help: `
Channels (config notification.*): desktop (notify-send / terminal-notifier), tmux display-message
on the clients of this pane's session, terminal bell, and your own command.
Options:
  --json    per-channel reports as JSON
Exit codes: 0 every enabled channel delivered, 1 any failed.`,
  options: { json: { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    if (positionals.length !== 1 || positionals[0] !== 'test') throw new UsageError('the only action is: notify test');
    const reports = await withClient(ctx, (c) => c.request({ op: 'notify-test', origin: originFromEnv(ctx.env) }));
    if (values.json) printJson(ctx, reports);
    else for (const r of reports) ctx.out(`${r.channel.padEnd(8)} ${r.outcome.padEnd(8)} ${r.detail}`);
    return reports.some((r) => r.outcome === 'failed') ? EXIT.failed : EXIT.ok;
  },
});
