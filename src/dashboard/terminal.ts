// The blessed layer: owns the terminal (alternate screen, raw keys, resize) and paints frames into
// blessed's cell buffer, whose diffing draw sends only what changed. No widgets: every cell comes
// from the frame, so the view's display-width arithmetic is the only arithmetic.
import { createRequire } from 'node:module';
import blessed from 'blessed';
import type { Color, Frame, Style } from './frame.js';
import { charWidth } from '../render/width.js';

export interface Key {
  name?: string;
  full: string;
  ctrl: boolean;
  shift: boolean;
}

export interface Terminal {
  size(): { width: number; height: number };
  /**
   * Where frames come from. Every blessed render asks it, including the one blessed makes by itself
   * on a resize, so a resized screen is never drawn blank first.
   */
  setSource(source: () => Frame): void;
  render(): void;
  onKey(handler: (ch: string | undefined, key: Key) => void): void;
  onResize(handler: () => void): void;
  destroy(): void;
}

// blessed's draw asks unicode.charWidth whether a cell holds a double-width character, so it can
// skip the cell the terminal fills by itself; its own table predates emoji presentation and says 1
// for 🎉, which shifts the rest of the row and breaks the border. Ask ours instead.
const require = createRequire(import.meta.url);
const unicode = require('blessed/lib/unicode.js') as { charWidth(str: string | number, i?: number): number };
unicode.charWidth = (str, i = 0) => (typeof str === 'number' ? charWidth(str) : charWidth(str.codePointAt(i) ?? 0x20));

const COLOR_INDEX: Record<Color, number> = { red: 1, green: 2, yellow: 3, blue: 4, magenta: 5, cyan: 6, gray: 8 };
const DEFAULT = 0x1ff;

/** blessed's packed cell attribute: flags << 18 | fg << 9 | bg. */
function attr(style: Style | undefined, colors: number): number {
  if (!style) return (DEFAULT << 9) | DEFAULT;
  const flags = (style.bold ? 1 : 0) | (style.inverse ? 8 : 0);
  let fg = colors && style.fg ? COLOR_INDEX[style.fg] : DEFAULT;
  // Gray is bright black: on an 8-colour terminal blessed would reduce it to black, unreadable.
  if (fg === 8 && colors < 16) fg = DEFAULT;
  return (flags << 18) | (fg << 9) | DEFAULT;
}

/** Text as [cell text, width] pairs: combining marks stay with the character they modify. */
function glyphs(text: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const ch of text) {
    const w = charWidth(ch.codePointAt(0)!);
    if (w > 0) out.push([ch, w]);
    else if (out.length) out[out.length - 1]![0] += ch;
  }
  return out;
}

export function openTerminal(opts: { color: boolean }): Terminal {
  const screen = blessed.screen({
    smartCSR: true,
    fullUnicode: true,
    forceUnicode: true,
    autoPadding: false,
    warnings: false,
    title: 'panecrew',
  } as blessed.Widgets.IScreenOptions & { forceUnicode: boolean });
  const program = screen.program;
  /** Colours the terminal has; 0 with NO_COLOR, so no colour code is ever sent. */
  const colors = opts.color ? (screen.tput as unknown as { colors: number }).colors : 0;
  // Box-drawing characters go out as UTF-8, not through the VT100 alternate charset: blessed would
  // translate them (and '·') to ACS letters, which tmux capture-pane and copy mode show as "lqqk".
  (screen.tput as unknown as { brokenACS: boolean }).brokenACS = true;
  program.hideCursor();
  type CellBuffer = Array<Array<[number, string]> & { dirty?: boolean }>;

  let source: (() => Frame) | null = null;
  let cursor: Frame['cursor'];
  const fill = (frame: Frame): void => {
    cursor = frame.cursor;
    const lines = (screen as unknown as { lines: CellBuffer }).lines;
    for (let y = 0; y < Math.min(frame.height, lines.length); y++) {
      const line = lines[y]!;
      let x = 0;
      for (const seg of frame.lines[y] ?? []) {
        const a = attr(seg.style, colors);
        for (const [ch, w] of glyphs(seg.text)) {
          for (let k = 0; k < w && x < line.length; k++, x++) {
            // The second cell of a wide character holds a space that draw() skips over.
            const c = k ? ' ' : ch;
            const cellNow = line[x]!;
            if (cellNow[0] !== a || cellNow[1] !== c) {
              line[x] = [a, c];
              line.dirty = true;
            }
          }
        }
      }
      for (; x < line.length; x++) {
        const cellNow = line[x]!;
        if (cellNow[0] !== attr(undefined, 0) || cellNow[1] !== ' ') {
          line[x] = [attr(undefined, 0), ' '];
          line.dirty = true;
        }
      }
    }
  };
  screen.on('prerender', () => {
    if (source) fill(source());
  });
  screen.on('render', () => {
    if (cursor) {
      program.cup(cursor.y, cursor.x);
      program.showCursor();
    } else {
      program.hideCursor();
    }
  });

  return {
    size: () => ({ width: screen.width as number, height: screen.height as number }),
    setSource(fn) {
      source = fn;
    },
    render() {
      screen.render();
    },
    onKey(handler) {
      screen.on('keypress', (ch: string | undefined, key: { name?: string; full: string; ctrl: boolean; shift: boolean }) => handler(ch, key));
    },
    onResize(handler) {
      screen.on('resize', handler);
    },
    destroy() {
      program.showCursor();
      screen.destroy();
    },
  };
}
