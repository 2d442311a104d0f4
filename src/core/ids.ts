import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** `bg_` + 8 base36 characters: ~41 bits, ample for one user's tasks. */
export function newTaskId(): string {
  const bytes = randomBytes(8);
  let id = 'bg_';
  for (const b of bytes) id += ALPHABET[b % 36];
  return id;
}
