import type { ListedTask } from '../../controller/protocol.js';
import { defineVerb, EXIT, printJson, UsageError, withClient } from '../command.js';
import { detail, elapsed, paint, STATE_SYMBOL, tokens } from '../format.js';

export default defineVerb({
  name: 'status',
  summary: "Show one task's state, progress and result preview.",
  usage: 'status ID [--json]',
  help: `
Options:
  --json    the whole task as JSON
Exit codes: 0 found, 4 no such task.`,
  options: { json: { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    if (positionals.length !== 1) throw new UsageError('give exactly one task id');
    const t = await withClient(ctx, (c) => c.request({ op: 'get', taskId: positionals[0]! }));
    if (values.json) {
      printJson(ctx, t);
      return EXIT.ok;
    }
    const lines = [
      `${t.id}  ${paint(`${STATE_SYMBOL[t.state]} ${t.state}`, t.state, ctx.color)}  ${t.title}`,
      `agent ${t.agent}  model ${t.model ?? '-'}  key ${t.key}  priority ${t.priority}  placement ${t.placement ?? t.requestedPlacement}${t.paneId ? ` ${t.paneId}` : ''}`,
      `time ${elapsed(t)}  attempts ${t.attempts.length}  tool calls ${t.progress.toolCalls}  tokens ${tokens(t) || '0'}${t.exitCode !== null ? `  exit ${t.exitCode}` : ''}`,
    ];
    if (t.after.length) lines.push(`after ${t.after.join(', ')}`);
    const d = detail(t);
    if (d) lines.push(d);
    if (t.resultPreview && t.state === 'completed') lines.push('', t.resultPreview);
    ctx.out(lines.join('\n'));
    return EXIT.ok;
  },
});
