// Agent output as rows for the detail pane and the output view (plainLines and wrap live in
// render/lines.ts, shared with the pane renderer).
import { plainLines, wrap } from '../render/lines.js';

export { plainLines, wrap };

/** The last `count` display rows of `lines` wrapped at `width`. */
export function tailRows(lines: string[], width: number, count: number): string[] {
  const rows: string[] = [];
  for (let i = lines.length - 1; i >= 0 && rows.length < count; i--) rows.unshift(...wrap(lines[i]!, width));
  return rows.slice(Math.max(0, rows.length - count));
}
