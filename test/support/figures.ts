// Figures of the end-to-end measurements (`npm run bench:e2e`): medians and p90s, one line each, and
// the table that puts the same figure for each agent side by side (printed by e2e-report.ts after
// the run, from the rows each measure file records).
import { appendFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const E2E_FIGURES_DIR = resolve(import.meta.dirname, '../../.bench/e2e');

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
export const median = (xs: number[]): number => sorted(xs)[Math.floor(xs.length / 2)]!;
export const p90 = (xs: number[]): number => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))]!;

/** "NAME: median M ms, p90 P ms (n=N)". */
export const figureLine = (name: string, xs: number[]): string => `${name}: median ${Math.round(median(xs))} ms, p90 ${Math.round(p90(xs))} ms (n=${xs.length})`;

/** "M ms (p90 P, n=N)", for a table cell; "—" when nothing was measured. */
export const figureCell = (xs: number[]): string => (xs.length ? `${Math.round(median(xs))} ms (p90 ${Math.round(p90(xs))}, n=${xs.length})` : '—');

/** Adds a row (column → cell) to the side-by-side table `table`, printed when bench:e2e ends. */
export function recordRow(table: string, row: Record<string, string>): void {
  mkdirSync(E2E_FIGURES_DIR, { recursive: true });
  appendFileSync(join(E2E_FIGURES_DIR, `${table}.jsonl`), `${JSON.stringify(row)}\n`);
}
