import type { ListedTask, Stats } from '../../controller/protocol.js';
import { defineVerb, EXIT, printJson, withClient } from '../command.js';
import { table } from '../../render/format.js';
import { inert } from '../../render/inert.js';
import { SUMMARY } from '../summaries.js';

export default defineVerb({
  name: 'ls',
  summary: SUMMARY.ls,
  usage: 'ls [--all] [--json]',
  help: `
Options:
  --all     every task the controller remembers, not just active and recent ones
  --json    print {tasks, stats} as JSON for scripts`,
  options: { all: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values }, ctx) {
    const [tasks, stats] = await withClient(ctx, (c) =>
      Promise.all([c.request({ op: 'list', all: Boolean(values.all) }), c.request({ op: 'stats' })]),
    );
    if (values.json) {
      printJson(ctx, { tasks, stats });
      return EXIT.ok;
    }
    ctx.out(table(tasks, ctx.color, process.stdout.columns || 120));
    const keys = stats.keys.map((k) => `${inert(k.key)} ${k.running}/${k.limit || '∞'}${k.pending ? ` +${k.pending} queued` : ''}`).join(', ');
    ctx.out(`\n${stats.running} running, ${stats.pending} queued (cap ${stats.globalCap || '∞'}); gate ${stats.gate.open ? 'open' : `closed: ${inert(stats.gate.detail)}`}${keys ? `; ${keys}` : ''}`);
    return EXIT.ok;
  },
});
