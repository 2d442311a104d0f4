// vitest globalSetup of bench:e2e: starts each run with no rows, and prints the side-by-side tables
// the measure files recorded (figures.ts recordRow) once every file has run.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { E2E_FIGURES_DIR } from './figures.js';

export function setup(): () => void {
  rmSync(E2E_FIGURES_DIR, { recursive: true, force: true });
  return () => {
    if (!existsSync(E2E_FIGURES_DIR)) return;
    for (const file of readdirSync(E2E_FIGURES_DIR).filter((f) => f.endsWith('.jsonl')).sort()) {
      const rows = readFileSync(join(E2E_FIGURES_DIR, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
      const head = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      console.log(`\n${file.replace(/\.jsonl$/, '')}\n| ${head.join(' | ')} |\n|${head.map(() => ' --- ').join('|')}|`);
      for (const r of rows) console.log(`| ${head.map((h) => r[h] ?? '—').join(' | ')} |`);
    }
  };
}
