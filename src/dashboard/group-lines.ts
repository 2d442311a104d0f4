// How a plan's header and its phase lines read in the task table. The counts come before the
// phase's names so a narrow window cuts names, never the progress.
import type { PlanState } from '../plan/view.js';
import { STATE_COLOR } from './columns.js';
import { row, type Color, type Line } from './frame.js';
import { phaseCounts, type TableRow } from './groups.js';
import { fit, displayWidth } from '../render/width.js';

const PLAN_COLOR: Record<PlanState, Color> = { pending: STATE_COLOR.pending, running: STATE_COLOR.running, completed: STATE_COLOR.completed, failed: STATE_COLOR.error };

export function groupLine(r: Exclude<TableRow, { kind: 'task' }>, width: number): Line {
  const p = r.plan;
  if (r.kind === 'plan') {
    const total = p.phases.flat().length;
    return row([{ text: '▾ plan ', style: { bold: true } }, { text: p.name, style: { bold: true } }, { text: `  ${p.id}  ` }, { text: p.state, style: { fg: PLAN_COLOR[p.state], bold: true } }, { text: `  ${p.counts.completed ?? 0}/${total} done` }], width);
  }
  const head = `  phase ${r.index + 1}/${p.phases.length} `;
  const counts = `: ${phaseCounts(r.nodes)}`;
  const names = r.nodes.map((n) => n.node).join(', ');
  const room = Math.max(1, width - displayWidth(head) - displayWidth(counts));
  const cut = displayWidth(names) > room ? fit(names, room) : names;
  return row([{ text: head, style: { fg: 'cyan' } }, { text: cut }, { text: counts, style: { fg: 'gray' } }], width);
}
