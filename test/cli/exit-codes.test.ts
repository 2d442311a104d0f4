// One table of exit codes: the code's (EXIT_CODES) is the README's, and every verb keeps to it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { EXIT_CODES } from '../../src/cli/command.js';
import { SUMMARY } from '../../src/cli/summaries.js';
import { CLI } from '../support/controller.js';

const README = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');

function readmeTable(): Array<[number, string]> {
  const start = README.indexOf('| code | meaning |');
  expect(start, 'the README has an exit code table').toBeGreaterThan(0);
  const rows = README.slice(start).split('\n').slice(2);
  return rows.slice(0, rows.findIndex((l) => !l.startsWith('|'))).map((l) => {
    const [, code, meaning] = l.split('|').map((c) => c.trim());
    return [Number(code), meaning!];
  });
}

describe('the exit code table', () => {
  test("the README's table is the code's, row for row", () => {
    expect(readmeTable()).toEqual(Object.values(EXIT_CODES).map(([code, meaning]) => [code, meaning]));
  });

  test("every code a verb's --help names is in the table", async () => {
    const known = new Set<number>(Object.values(EXIT_CODES).map(([c]) => c));
    for (const name of Object.keys(SUMMARY)) {
      const { default: verb } = await import(/* @vite-ignore */ pathToFileURL(resolve(CLI, `../verbs/${name}.js`)).href);
      const said = /Exit codes:([\s\S]*)$/.exec(verb.help as string)?.[1] ?? '';
      for (const m of said.matchAll(/(?:^|[\s,;:])(\d+)\s/g)) expect(known.has(Number(m[1])), `${name}: exit ${m[1]}`).toBe(true);
    }
  });
});

describe('exit codes in use', () => {
  const dir = mkdtempSync(join(tmpdir(), 'panecrew-exit-'));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'background_task:\n  defaultConcurrency: many\n');
  const env = { ...process.env, PANECREW_HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'xdg'), NO_COLOR: '1' };
  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => execa('node', [CLI, ...args], { env: { ...env, ...extra }, cwd: dir, reject: false });

  test('config check and config show on an invalid file exit 2, as every verb that reads it', async () => {
    const check = await run(['config', 'check', bad]);
    expect(check.exitCode).toBe(2);
    expect(check.stderr).toContain(`${bad}:2:23`);
    expect((await run(['config', 'show'], { PANECREW_CONFIG: bad })).exitCode).toBe(2);
    expect((await run(['agents'], { PANECREW_CONFIG: bad })).exitCode).toBe(2);
  });

  test('bad arguments exit 2: an unknown verb or option, a bad duration', async () => {
    expect((await run(['lss'])).exitCode).toBe(2);
    expect((await run(['ls', '--al'])).exitCode).toBe(2);
    expect((await run(['launch', '--timeout', 'soon', 'true'])).exitCode).toBe(2);
  });
});
