import type { ListedTask } from '../../controller/protocol.js';
import { defineVerb, EXIT, printJson, UsageError, withClient } from '../command.js';
import { detail, elapsed, paint, STATE_SYMBOL, tokens } from '../../render/format.js';
import { inert } from '../../render/inert.js';
import { SUMMARY } from '../summaries.js';

export default defineVerb({
  name: 'status',
  summary: SUMMARY.status,
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
      `${t.id}  ${paint(`${STATE_SYMBOL[t.state]} ${t.state}`, t.state, ctx.color)}  ${inert(t.title)}`,
      `agent ${inert(t.agent)}  model ${inert(t.model ?? '-')}  key ${inert(t.key)}  priority ${t.priority}  placement ${t.placement ?? t.requestedPlacement}${t.paneId ? ` ${t.paneId}` : ''}`,
      `time ${elapsed(t)}  attempts ${t.attempts.length}  tool calls ${t.progress.toolCalls}  tokens ${tokens(t) || '0'}${t.exitCode !== null ? `  exit ${t.exitCode}` : ''}`,
    ];
    if (t.placementNote) lines.push(`placed there because ${inert(t.placementNote)}`);
    if (t.after.length) lines.push(`after ${t.after.join(', ')}`);
    if (t.workspace) {
      // Loaded only for a worktree task: it runs git through execa, ~140 modules every other status would pay for.
      const { changeLine } = await import('../../worktree/changes.js');
      lines.push(`worktree ${inert(t.workspace.path)}`, `changes: ${inert(await changeLine(t.id, t.workspace))}`, ...t.workspace.notes.map((n) => `note: ${inert(n)}`));
    }
    // A completed task's detail is the preview's first line: the preview below says it once.
    const preview = t.state === 'completed' ? t.resultPreview : null;
    const d = preview && !t.reason ? '' : detail(t);
    if (d) lines.push(d);
    if (preview) lines.push('', inert(preview, { multiline: true }));
    ctx.out(lines.join('\n'));
    return EXIT.ok;
  },
});
