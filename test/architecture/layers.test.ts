// The folders of src/ are layers (docs/ARCHITECTURE.md, "Parts"): a folder imports its own layer and
// the layers below, never one above; and files stay small enough to read in one sitting.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/** Lowest first. Kept in step with the table in docs/ARCHITECTURE.md. */
export const LAYERS: string[][] = [
  ['core', 'system'],
  ['liveness', 'scheduler', 'runner', 'tmux', 'agent', 'mockapi', 'render', 'worktree'],
  ['notify'],
  ['config'],
  ['executor', 'surface'],
  ['attempt'],
  ['controller'],
  ['plan'],
  ['mcp', 'dashboard', 'demo'],
  ['cli'],
];
const levelOf = new Map(LAYERS.flatMap((folders, level) => folders.map((f) => [f, level] as const)));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const folderOf = (file: string): string => relative(SRC, file).split('/')[0]!;

describe('architecture', () => {
  it('every folder of src/ has a layer', () => {
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => !levelOf.has(f))).toEqual([]);
  });

  it('no folder imports from a layer above its own', () => {
    const upward: string[] = [];
    for (const file of files(SRC)) {
      const from = folderOf(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
        const to = folderOf(resolve(dirname(file), m[1]!));
        if ((levelOf.get(to) ?? -1) > (levelOf.get(from) ?? -1)) upward.push(`${relative(SRC, file)} → ${m[1]}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('no source file is over ~300 lines', () => {
    const long = files(SRC)
      .map((f) => [relative(SRC, f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, lines]) => lines > 320);
    expect(long).toEqual([]);
  });
});
