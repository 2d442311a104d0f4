import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** `bg_` + 8 base36 characters: ~41 bits, ample for one user's tasks. */
export function newTaskId(): string {
  return newId('bg_');
}

/** `pl_` + 8 base36 characters: a plan (a group of tasks submitted from one plan file). */
export function newPlanId(): string {
  return newId('pl_');
}

function newId(prefix: string): string {
  let id = prefix;
  for (const b of randomBytes(8)) id += ALPHABET[b % 36];
  return id;
}
