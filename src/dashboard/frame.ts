// A frame: what the whole screen shows, as lines of styled segments, each line exactly the screen's
// width in cells. The view builds frames from plain data; the terminal layer only paints them.
import { clean, displayWidth, fit } from '../render/width.js';

export type Color = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray';

export interface Style {
  fg?: Color;
  bold?: boolean;
  inverse?: boolean;
}

export interface Segment {
  text: string;
  style?: Style;
}

export type Line = Segment[];

export interface Frame {
  width: number;
  height: number;
  lines: Line[];
  /** Where the terminal cursor should sit (the filter prompt), if anywhere. */
  cursor?: { x: number; y: number };
}

/** A segment cut or padded to exactly `width` cells. */
export function cell(text: string, width: number, style?: Style, align: 'left' | 'right' = 'left'): Segment {
  return style ? { text: fit(text, width, align), style } : { text: fit(text, width, align) };
}

export function lineWidth(line: Line): number {
  return line.reduce((w, s) => w + displayWidth(s.text), 0);
}

/**
 * Segments laid end to end, then cut or padded to `width`: the last segment that overflows is cut.
 * Every segment is clean()ed here, so task text reaches the terminal inert whichever view built it.
 */
export function row(parts: Segment[], width: number, fill?: Style): Line {
  const out: Line = [];
  let used = 0;
  for (const raw of parts) {
    const p: Segment = raw.style ? { text: clean(raw.text), style: raw.style } : { text: clean(raw.text) };
    if (used >= width) break;
    const w = displayWidth(p.text);
    if (used + w <= width) {
      out.push(p);
      used += w;
    } else {
      out.push(cell(p.text, width - used, p.style));
      used = width;
    }
  }
  if (used < width) out.push(fill ? { text: ' '.repeat(width - used), style: fill } : { text: ' '.repeat(width - used) });
  return out;
}

/** The same style over a whole line (the selected row). */
export function restyle(line: Line, style: Style): Line {
  return line.map((s) => ({ text: s.text, style: { ...s.style, ...style } }));
}

const BORDER: Style = { fg: 'gray' };

/** `inner` lines inside a box of `width` x `height` with `title` in its top border. */
export function box(title: string, inner: Line[], width: number, height: number, focused = false): Line[] {
  const border = focused ? { fg: 'cyan' as const } : BORDER;
  const innerWidth = width - 2;
  const label = title ? ` ${title} ` : '';
  const labelWidth = Math.min(displayWidth(label), Math.max(0, innerWidth - 1));
  const top: Line = [
    { text: '┌─', style: border },
    cell(label, labelWidth, { bold: true }),
    { text: '─'.repeat(Math.max(0, innerWidth - 1 - labelWidth)), style: border },
    { text: '┐', style: border },
  ];
  const lines: Line[] = [width >= 3 ? top : [cell('', width)]];
  for (let i = 0; i < height - 2; i++) {
    lines.push([{ text: '│', style: border }, ...row(inner[i] ?? [], innerWidth), { text: '│', style: border }]);
  }
  lines.push([{ text: `└${'─'.repeat(Math.max(0, innerWidth))}┘`, style: border }]);
  return lines;
}

/** The frame as plain text, one line per row, for tests and docs/dashboard.txt. */
export function frameText(frame: Frame): string {
  return frame.lines.map((l) => l.map((s) => s.text).join('').replace(/\s+$/, '')).join('\n');
}
