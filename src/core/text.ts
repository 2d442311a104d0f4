// Small text helpers shared by every part that shows task text to people.

/** The first line with something on it, trimmed; undefined for empty or blank text. */
export function firstLine(text: string | null | undefined): string | undefined {
  return text
    ?.split(/\r?\n/)
    .map((l) => l.trim())
    .find(Boolean);
}

/** Terminal escape sequences: CSI (7- and 8-bit), OSC ended by BEL or ST, and two-character escapes. */
export const ANSI_ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;

/** POSIX shell quoting, for the places a command must be a string: Claude Code hook commands. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
