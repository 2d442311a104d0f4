// Durations read as `500ms`, `30s`, `5m`, `2h`, `7d`. A bare number is milliseconds in config files
// (as documented since the first release) and seconds on the command line (as `timeout` and `sleep`).

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_RE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/;

/** Parses a duration; returns null when the text is not one. */
export function parseDuration(input: string | number): number | null {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? Math.round(input) : null;
  const m = DURATION_RE.exec(input.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 'ms']!);
}

/** A command-line duration: `90s`, `5m`, `250ms`, or a bare number of seconds; null when it is not one. */
export function parseCliDuration(input: string): number | null {
  const text = input.trim();
  return parseDuration(/^\d+(?:\.\d+)?$/.test(text) ? `${text}s` : text);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  if (m < 60) return `${m}m${s ? `${String(s).padStart(2, '0')}s` : ''}`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
