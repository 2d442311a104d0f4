// Folders import downwards: nothing outside src/cli imports from it (presentation lives in src/render).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, test } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

test('no folder outside src/cli imports from src/cli, and src/render imports no part above it', () => {
  const upward: string[] = [];
  for (const file of files(SRC)) {
    const folder = relative(SRC, file).split('/')[0]!;
    if (folder === 'cli') continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/^import (type )?[^;]*?from '(\.[^']+)'/gms)) {
      const target = relative(SRC, resolve(file, '..', m[2]!)).split('/')[0]!;
      // render may name the protocol's types: a type-only import is gone at runtime.
      const above = folder === 'render' ? (m[1] ? ['cli', 'dashboard', 'demo', 'mcp'] : ['cli', 'dashboard', 'demo', 'mcp', 'controller']) : ['cli'];
      if (above.includes(target)) upward.push(`${relative(SRC, file)} → ${m[2]}`);
    }
  }
  expect(upward).toEqual([]);
});
