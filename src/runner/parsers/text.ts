// Small text helpers for turning agent output into short, single-line status text.
import { ANSI_ESCAPES } from '../../core/text.js';
import path from 'node:path';

// C0 controls other than tab, and DEL; they are invisible or harmful in a status line.
const CONTROL_RE = /[\x00-\x08\x0b-\x1f\x7f]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_ESCAPES, '').replace(CONTROL_RE, '');
}

/** One line, whitespace collapsed, cut to `max` characters with an ellipsis. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  return `${[...flat].slice(0, max - 1).join('')}…`;
}

/**
 * A path as a person would like to read it in a status line: relative to `cwd` when inside it,
 * otherwise as given; paths longer than `max` keep their tail ("…/auth/jwt.ts").
 */
export function shortPath(p: string, cwd: string | undefined, max = 60): string {
  let shown = p.trim();
  if (cwd && path.isAbsolute(shown)) {
    const rel = path.relative(cwd, shown);
    if (rel === '') shown = '.';
    else if (!rel.startsWith('..') && !path.isAbsolute(rel)) shown = rel;
  }
  if (shown.length <= max) return shown;
  const parts = shown.split('/');
  let tail = parts.pop() ?? shown;
  while (parts.length > 0 && tail.length + parts[parts.length - 1]!.length + 3 <= max) {
    tail = `${parts.pop()}/${tail}`;
  }
  return tail.length + 2 <= max ? `…/${tail}` : `…${tail.slice(tail.length - (max - 1))}`;
}
