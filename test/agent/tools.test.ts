import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Confinement } from '../../src/agent/confine.js';
import { makeMatcher } from '../../src/agent/tools/glob-match.js';
import { describeCall, runTool } from '../../src/agent/tools/index.js';
import { tempDir } from './helpers.js';

let outer: string;
let root: string;
let ctx: { confine: Confinement };

beforeEach(() => {
  outer = tempDir('panecrew-tools-');
  root = path.join(outer, 'repo');
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('src/a.ts', 'const alpha = 1;\nexport function login() {}\n');
  write('src/deep/b.ts', 'export function logout() {}\n');
  write('src/c.js', 'login();\n');
  write('node_modules/pkg/index.ts', 'export function login() {}\n');
  write('.git/HEAD', 'ref: login\n');
  write('big.txt', Array.from({ length: 3000 }, (_, i) => `line ${i + 1}`).join('\n'));
  fs.mkdirSync(path.join(outer, 'secret'));
  fs.writeFileSync(path.join(outer, 'secret', 'key.ts'), 'export function login() { /* outside */ }\n');
  fs.symlinkSync(path.join(outer, 'secret'), path.join(root, 'linked-out'));
  fs.symlinkSync(path.join(outer, 'secret', 'key.ts'), path.join(root, 'key-link.ts'));
  fs.symlinkSync(path.join(root, 'src', 'a.ts'), path.join(root, 'inner-link.ts'));
  ctx = { confine: new Confinement(root) };
});
afterEach(() => fs.rmSync(outer, { recursive: true, force: true }));

const call = (name: string, input: unknown) => runTool(name, input, ctx);

describe('glob matcher', () => {
  it.each([
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/deep/b.ts', true],
    ['src/**/*.ts', 'src/c.js', false],
    ['*.ts', 'src/a.ts', false],
    ['**/*.{ts,js}', 'src/c.js', true],
    ['src/?.ts', 'src/a.ts', true],
    ['src/[ab].ts', 'src/b.ts', true],
    ['src/[!ab].ts', 'src/a.ts', false],
    ['./src/*.ts', 'src/a.ts', true],
    ['a.b', 'aXb', false],
  ])('%s against %s is %s', (pattern, rel, expected) => {
    expect(makeMatcher(pattern)(rel)).toBe(expected);
  });

  it('a pattern without a slash matches file names at any depth when asked to', () => {
    expect(makeMatcher('*.ts', { basenameOnly: true })('src/deep/b.ts')).toBe(true);
  });
});

describe('read_file', () => {
  it('returns the file text', async () => {
    expect(await call('read_file', { path: 'src/a.ts' })).toEqual({
      text: 'const alpha = 1;\nexport function login() {}',
      isError: false,
      refused: false,
    });
  });

  it('returns a line range and says which', async () => {
    const r = await call('read_file', { path: 'big.txt', start_line: 10, end_line: 12 });
    expect(r.text).toBe('line 10\nline 11\nline 12\n[lines 10-12 of 3000]');
  });

  it('caps a long file and says it was truncated and how to read on', async () => {
    const r = await call('read_file', { path: 'big.txt' });
    expect(r.text.split('\n')).toHaveLength(2001);
    expect(r.text).toContain('[truncated: showed lines 1-2000 of 3000; read on with start_line=2001]');
  });

  it('follows a symlink that stays inside', async () => {
    expect((await call('read_file', { path: 'inner-link.ts' })).text).toContain('alpha');
  });

  it('reports a missing file as an error, not a refusal', async () => {
    expect(await call('read_file', { path: 'nope.ts' })).toEqual({ text: 'nope.ts: no such file or directory', isError: true, refused: false });
  });

  it('rejects bad input with the reason', async () => {
    const r = await call('read_file', { start_line: 'x' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^invalid input for read_file: path: /);
  });

  it('refuses a folder symlinked outside, and a file through it', async () => {
    const a = await call('read_file', { path: 'linked-out/key.ts' });
    expect(a).toMatchObject({ isError: true, refused: true });
    expect(a.text).toMatch(/^refused: linked-out\/key\.ts is a symlink that resolves to .*secret\/key\.ts, outside the working directory/);
    expect((await call('list_dir', { path: 'linked-out' })).refused).toBe(true);
  });
});

describe('files that are not regular', () => {
  // A FIFO with no writer: reading it by name would block forever.
  const fifo = (rel: string): void => {
    execFileSync('mkfifo', [path.join(root, rel)]);
  };

  it('read_file on a FIFO says it is not a regular file, at once', async () => {
    fifo('pipe');
    expect(await call('read_file', { path: 'pipe' })).toEqual({ text: 'pipe is not a regular file', isError: true, refused: false });
  }, 3000);

  it('grep over a folder with a FIFO in it completes; grep on the FIFO itself says why not', async () => {
    fifo('src/pipe');
    expect((await call('grep', { pattern: 'logout', path: 'src' })).text).toBe('src/deep/b.ts:1: export function logout() {}');
    expect(await call('grep', { pattern: 'x', path: 'src/pipe' })).toMatchObject({ text: 'src/pipe is not a regular file', isError: true });
  }, 3000);

  it('read_file refuses a directory and a device', async () => {
    expect((await call('read_file', { path: 'src' })).text).toBe('src is a directory; use list_dir to see its entries');
    const dev = new Confinement('/dev');
    await expect(dev.openFile('null')).rejects.toThrow('null is not a regular file');
  });
});

describe('an opened file is checked by its descriptor, not its name', () => {
  // What a swap between the check and the open would give: a name that resolved inside, and a
  // descriptor of a file outside. Made deterministic by opening the outside file directly.
  it('a descriptor of a file outside the root is refused even when the name was inside', async () => {
    const outside = await fsp.open(path.join(outer, 'secret', 'key.ts'), 'r');
    const within = await fsp.open(path.join(root, 'src', 'a.ts'), 'r');
    try {
      expect(await ctx.confine.holds(outside, path.join(root, 'src', 'a.ts'))).toBe(false);
      expect(await ctx.confine.holds(within, path.join(root, 'src', 'a.ts'))).toBe(true);
    } finally {
      await outside.close();
      await within.close();
    }
  });
});

describe('list_dir', () => {
  it('lists entries sorted, folders with / and symlinks with @', async () => {
    const r = await call('list_dir', {});
    expect(r.text.split('\n')).toEqual(['.git/', 'big.txt', 'inner-link.ts@', 'key-link.ts@', 'linked-out@', 'node_modules/', 'src/']);
  });

  it('refuses the parent folder', async () => {
    expect(await call('list_dir', { path: '..' })).toMatchObject({ isError: true, refused: true });
  });
});

describe('glob', () => {
  it('finds files by pattern, skipping node_modules, .git and links that leave', async () => {
    expect((await call('glob', { pattern: '**/*.ts' })).text.split('\n')).toEqual(['inner-link.ts', 'src/a.ts', 'src/deep/b.ts']);
  });

  it('searches from a sub-folder, returning paths relative to the working directory', async () => {
    expect((await call('glob', { pattern: '*.ts', path: 'src' })).text).toBe('src/a.ts');
  });

  it('says when nothing matched', async () => {
    expect((await call('glob', { pattern: '**/*.py' })).text).toBe('[no files match **/*.py]');
  });

  it('says which pattern is invalid', async () => {
    expect(await call('glob', { pattern: 'src/[z-a].ts' })).toMatchObject({ isError: true, text: expect.stringMatching(/^invalid glob pattern src\/\[z-a\]\.ts: /) });
  });
});

describe('grep', () => {
  it('prints path:line: text for every match, never outside the working directory', async () => {
    const r = await call('grep', { pattern: 'function log(in|out)' });
    expect(r.text.split('\n')).toEqual([
      'inner-link.ts:2: export function login() {}',
      'src/a.ts:2: export function login() {}',
      'src/deep/b.ts:1: export function logout() {}',
    ]);
  });

  it('filters by glob and path, and honours ignore_case', async () => {
    expect((await call('grep', { pattern: 'LOGIN', glob: '*.js', ignore_case: true })).text).toBe('src/c.js:1: login();');
    expect((await call('grep', { pattern: 'login', path: 'src/deep' })).text).toBe('[no matches for /login/]');
  });

  it('stops at max_matches and says so', async () => {
    const r = await call('grep', { pattern: '^line', path: 'big.txt', max_matches: 2 });
    expect(r.text).toBe('big.txt:1: line 1\nbig.txt:2: line 2\n[truncated at 2 matches; narrow the search or raise max_matches]');
  });

  it('reports an invalid regular expression', async () => {
    expect((await call('grep', { pattern: '(' })).text).toMatch(/^invalid regular expression \(/);
  });
});

describe('patterns a backtracking engine takes exponential time on', () => {
  // Both payloads blocked the agent's event loop for minutes before the matchers became linear.
  it('grep (a+)+$ over a line of 29 a and a ! answers at once', async () => {
    fs.writeFileSync(path.join(root, 'evil.txt'), `${'a'.repeat(29)}!\n${'a'.repeat(29)}\n`);
    const started = Date.now();
    const r = await call('grep', { pattern: '(a+)+$', path: 'evil.txt' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.text).toBe(`evil.txt:2: ${'a'.repeat(29)}`);
  });

  it('grep with ignore_case stays linear too', async () => {
    fs.writeFileSync(path.join(root, 'evil.txt'), `${'A'.repeat(29)}!\n`);
    const started = Date.now();
    expect((await call('grep', { pattern: '(a+)+$', path: 'evil.txt', ignore_case: true })).text).toBe('[no matches for /(a+)+$/]');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('grep refuses a backreference, saying what the syntax allows', async () => {
    const r = await call('grep', { pattern: '(a)\\1' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^invalid regular expression \(a\)\\1: .*no backreferences or lookaround/);
  });

  it('a glob with 14 stars against a long name answers at once', () => {
    const pattern = `${'*a'.repeat(14)}*b`;
    const started = Date.now();
    expect(makeMatcher(pattern)('a'.repeat(60))).toBe(false);
    expect(makeMatcher(pattern)(`${'a'.repeat(60)}b`)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('describeCall', () => {
  it('gives short step text and a transcript line', () => {
    expect(describeCall('read_file', { path: 'src/auth.ts', start_line: 1, end_line: 80 })).toEqual({
      step: 'Read src/auth.ts (1-80)',
      describe: 'read_file src/auth.ts (1-80)',
    });
    expect(describeCall('grep', { pattern: 'TODO', glob: '*.ts' }).step).toBe('Search /TODO/ (*.ts)');
  });
});
