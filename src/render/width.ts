// Display width of text in terminal cells, and cutting text into cells. blessed 0.1.81 counts emoji
// as one cell while terminals (tmux included) draw them in two, which breaks borders; every width in
// the dashboard is measured here instead.
import { inert } from './inert.js';

// East Asian Wide and Fullwidth ranges (UCD EastAsianWidth.txt, W and F; unassigned gaps merged).
// Emoji with default emoji presentation are W since Unicode 9; newer ones are caught by the regex below.
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0], [0x23f3, 0x23f3],
  [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f], [0x2693, 0x2693], [0x26a1, 0x26a1],
  [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5], [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea],
  [0x26f2, 0x26f3], [0x26f5, 0x26f5], [0x26fa, 0x26fa], [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b],
  [0x2728, 0x2728], [0x274c, 0x274c], [0x274e, 0x274e], [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797],
  [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55], [0x2e80, 0x303e],
  [0x3041, 0x3247], [0x3250, 0x4dbf], [0x4e00, 0xa4c6], [0xa960, 0xa97c], [0xac00, 0xd7a3], [0xf900, 0xfaff],
  [0xfe10, 0xfe19], [0xfe30, 0xfe6b], [0xff01, 0xff60], [0xffe0, 0xffe6], [0x16fe0, 0x1b2fb], [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a], [0x1f200, 0x1f320], [0x1f32d, 0x1f335],
  [0x1f337, 0x1f37c], [0x1f37e, 0x1f393], [0x1f3a0, 0x1f3ca], [0x1f3cf, 0x1f3d3], [0x1f3e0, 0x1f3f0],
  [0x1f3f4, 0x1f3f4], [0x1f3f8, 0x1f43e], [0x1f440, 0x1f440], [0x1f442, 0x1f4fc], [0x1f4ff, 0x1f53d],
  [0x1f54b, 0x1f54e], [0x1f550, 0x1f567], [0x1f57a, 0x1f57a], [0x1f595, 0x1f596], [0x1f5a4, 0x1f5a4],
  [0x1f5fb, 0x1f64f], [0x1f680, 0x1f6c5], [0x1f6cc, 0x1f6cc], [0x1f6d0, 0x1f6d2], [0x1f6d5, 0x1f6df],
  [0x1f6eb, 0x1f6ec], [0x1f6f4, 0x1f6fc], [0x1f7e0, 0x1f7f0], [0x1f90c, 0x1f93a], [0x1f93c, 0x1f945],
  [0x1f947, 0x1f9ff], [0x1fa70, 0x1faff], [0x20000, 0x3fffd],
];

const EMOJI_PRESENTATION = /\p{Emoji_Presentation}/u;
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}]/u;

function isWide(cp: number): boolean {
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = WIDE[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  // Regional indicators are narrow (EastAsianWidth N, as wcwidth and tmux say); a flag is a pair of them.
  if (cp >= 0x1f1e6 && cp <= 0x1f1ff) return false;
  return cp >= 0x1f000 && EMOJI_PRESENTATION.test(String.fromCodePoint(cp));
}

/** Cells one code point takes: 0 (combining, format), 1, or 2 (East Asian wide, emoji). Controls count 0. */
export function charWidth(cp: number): 0 | 1 | 2 {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp < 0x300) return 1;
  if (cp >= 0x1160 && cp <= 0x11ff) return 0; // Hangul medial vowels and final consonants join the syllable
  if (isWide(cp)) return 2;
  if (ZERO_WIDTH.test(String.fromCodePoint(cp))) return 0;
  return 1;
}

/** Cells `text` takes on a terminal. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/**
 * Text made safe for one row: line breaks become spaces, other controls and bidi overrides show inert
 * (inert()), and what terminals disagree about is removed — zero-width joiners, variation selectors
 * and skin-tone modifiers — so an emoji sequence shows as its parts, each two cells wide everywhere,
 * instead of one glyph whose width depends on the terminal.
 */
export function clean(text: string): string {
  return inert(text.normalize('NFC').replace(/[\t\n\r\v\f]/g, ' ')).replace(
    /[\u200b-\u200d\u2060-\u2064\ufe00-\ufe0f\ufeff]|\u{1f3fb}|\u{1f3fc}|\u{1f3fd}|\u{1f3fe}|\u{1f3ff}|[\u{e0000}-\u{e01ef}]/gu,
    '',
  );
}

/**
 * One string per cell: a wide character takes its cell and leaves '' in the next, zero-width marks
 * join the cell before them. Exactly `width` cells; text that does not fit ends in '…'; a wide
 * character that would straddle the edge becomes a space.
 */
export function toCells(text: string, width: number): string[] {
  const cells: string[] = [];
  if (width <= 0) return cells;
  const chars = [...clean(text)];
  let used = 0;
  let cut = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const w = charWidth(ch.codePointAt(0)!);
    if (w === 0) {
      if (cells.length) cells[cells.length - 1] += ch;
      continue;
    }
    if (used + w > width) {
      cut = true;
      break;
    }
    cells.push(ch);
    if (w === 2) cells.push('');
    used += w;
  }
  if (cut) {
    // Make room for the ellipsis: drop whole characters from the end.
    while (cells.length > width - 1) {
      const last = cells.pop();
      if (last === '' && cells.length) cells.pop();
    }
    cells.push('…');
  }
  while (cells.length < width) cells.push(' ');
  return cells;
}

/** `text` cut or padded to exactly `width` cells, as a string. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (align === 'right') {
    const w = displayWidth(clean(text));
    if (w < width) return ' '.repeat(width - w) + clean(text);
  }
  return toCells(text, width).join('');
}
