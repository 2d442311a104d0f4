// Agent output as plain lines for the detail pane and the output view: escape sequences removed,
// carriage-return redraws collapsed, long lines wrapped by display width.
import { ANSI_ESCAPES } from '../core/text.js';
import { charWidth, clean } from '../render/width.js';


/** Output text as lines a person would have seen: no escapes, and for `a\rb` only what was drawn last. */
export function plainLines(text: string): string[] {
  const lines = text.replace(ANSI_ESCAPES, '').split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => {
    const parts = l.split('\r').filter((p) => p.length);
    return clean(parts[parts.length - 1] ?? '');
  });
}

/** One line broken into pieces of at most `width` cells. An empty line stays one empty piece. */
export function wrap(line: string, width: number): string[] {
  if (width <= 0) return [];
  const out: string[] = [];
  let current = '';
  let used = 0;
  for (const ch of line) {
    const w = charWidth(ch.codePointAt(0)!);
    if (used + w > width) {
      out.push(current);
      current = '';
      used = 0;
    }
    current += ch;
    used += w;
  }
  out.push(current);
  return out;
}

/** The last `count` display rows of `lines` wrapped at `width`. */
export function tailRows(lines: string[], width: number, count: number): string[] {
  const rows: string[] = [];
  for (let i = lines.length - 1; i >= 0 && rows.length < count; i--) rows.unshift(...wrap(lines[i]!, width));
  return rows.slice(Math.max(0, rows.length - count));
}
