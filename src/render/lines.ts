// Agent output as plain lines: escape sequences removed, carriage-return redraws collapsed, long lines
// wrapped by display width. Shared by the dashboard and the pane renderer (runner/pane-view.ts).
import { ANSI_ESCAPES } from '../core/text.js';
import { charWidth, clean } from './width.js';

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
