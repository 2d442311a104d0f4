// Text panecrew did not write (titles, keys, cwd, reasons, agent output, result previews) shown so
// that a terminal cannot act on it: an escape sequence would otherwise clear the screen, move the
// cursor over panecrew's own rows, write the clipboard (OSC 52) or reorder text (bidi overrides).
// Each such character is replaced by a visible stand-in, so the reader still sees that it was there.

/** C0 controls, DEL, C1 controls, bidi marks/embeddings/overrides/isolates, line and paragraph separators. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
const UNSAFE_KEEPING_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

function standIn(ch: string): string {
  const cp = ch.codePointAt(0)!;
  // Control Pictures (U+2400 block) show C0 and DEL as one narrow glyph: ␛ ␇ ␍ ␡.
  if (cp < 0x20) return String.fromCodePoint(0x2400 + cp);
  if (cp === 0x7f) return '␡';
  return `<U+${cp.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/**
 * `text` with every control character and bidi control made visible and inert. One line by default
 * (a newline becomes ␊, so a value cannot start a fake row); `multiline` keeps newlines and tabs.
 */
export function inert(text: string, opts: { multiline?: boolean } = {}): string {
  return text.replace(opts.multiline ? UNSAFE_KEEPING_LINES : UNSAFE, standIn);
}
