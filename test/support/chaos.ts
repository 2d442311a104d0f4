// Tools for chaos tests: a seeded PRNG (a failure is reproduced with its seed), the side-effect file
// that counts each agent start, and a SIGKILL that never hits a pid reused by someone else.
import { existsSync, readFileSync } from 'node:fs';

export interface Rng {
  seed: number;
  /** [0, 1) */
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

/** The seed from `CHAOS_SEED`, else a fresh one. */
export function chaosSeed(): number {
  const given = process.env.CHAOS_SEED;
  return given ? Number(given) : Math.floor(Math.random() * 2 ** 31);
}

/** How many times each task id was appended to the side-effect file (one line per agent start). */
export function startCounts(file: string): Map<string, number> {
  const counts = new Map<string, number>();
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  for (const id of text.split('\n').filter(Boolean)) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/** SIGKILLs `pid` only if its command line (or environment) still holds `marker`: a pid can be reused. */
export function killIfStill(pid: number, marker: string, where: 'cmdline' | 'environ' = 'cmdline'): boolean {
  try {
    if (!readFileSync(`/proc/${pid}/${where}`, 'utf8').includes(marker)) return false;
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
};
