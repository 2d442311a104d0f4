// What a task finds in its environment: the README's table is the code's, and a dependency's result
// arrives as text (bounded, never splitting a character, never holding NUL) with its file beside it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { taskPaths } from '../../src/core/paths.js';
import type { TaskRecord } from '../../src/core/task.js';
import { taskEnv } from '../../src/runner/prepare.js';
import { BUILTIN_PROFILES } from '../../src/runner/profiles.js';
import { DEP_RESULT_MAX_BYTES, resultText, TASK_VARIABLES } from '../../src/runner/task-vars.js';

const README = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'panecrew-env-'));

function readmeTable(): Array<[string, string]> {
  const start = README.indexOf('| variable | holds |');
  expect(start, 'the README has a table of task variables').toBeGreaterThan(0);
  const rows = README.slice(start).split('\n').slice(2);
  return rows.slice(0, rows.findIndex((l) => !l.startsWith('|'))).map((l) => {
    const [, name, holds] = /^\| `([^`]+)` \| (.*) \|$/.exec(l) ?? [];
    return [name!, holds!];
  });
}

/** The environment of a task with a model and two dependencies, and no client variables. */
function fullEnv(results: string[]): Record<string, string> {
  const dependencies = results.map((text, i) => {
    const resultFile = join(dir, `dep${i + 1}.md`);
    writeFileSync(resultFile, text);
    return { id: `bg_0000000${i + 1}`, title: `dep ${i + 1}`, resultFile };
  });
  const plan = { id: 'pl_12345678', name: 'p', node: 'n', artifacts: join(dir, 'plan'), refs: { a: ['bg_00000001'] } };
  const task = { id: 'bg_12345678', model: 'anthropic/claude-haiku-4-5', plan, prompt: 'echo {{ tasks.a.result }}' } as unknown as TaskRecord;
  return taskEnv({ task, paths: taskPaths(dir, task.id), profile: BUILTIN_PROFILES.shell!, clientEnv: {}, dependencies });
}

describe('task variables', () => {
  it("the README's table is the code's, row for row", () => {
    expect(readmeTable()).toEqual(TASK_VARIABLES.map(([name, holds]) => [name, holds]));
  });

  it('every variable a task gets is in the table, and every row is set', () => {
    const set = Object.keys(fullEnv(['one\n', 'two\n'])).map((k) => k.replace(/^PANECREW_DEP_\d+_/, 'PANECREW_DEP_n_').replace(/^PANECREW_TEMPLATE_\d+$/, 'PANECREW_TEMPLATE_n')).sort();
    expect([...new Set(set)]).toEqual(TASK_VARIABLES.map(([name]) => name).sort());
  });

  it('hands each result over as text, with its file, its id and all of them together', () => {
    const env = fullEnv(['first result\nsecond line\n', 'other result']);
    expect(env.PANECREW_DEP_COUNT).toBe('2');
    expect(env.PANECREW_DEP_1_RESULT).toBe('first result\nsecond line\n');
    expect(env.PANECREW_DEP_1_RESULT_FILE).toBe(join(dir, 'dep1.md'));
    expect(env.PANECREW_DEP_2_ID).toBe('bg_00000002');
    expect(env.PANECREW_DEP_RESULTS).toBe('=== result of bg_00000001 ===\nfirst result\nsecond line\n=== result of bg_00000002 ===\nother result\n');
    expect(env.PANECREW_DEP_RESULT_FILES).toBe(`${join(dir, 'dep1.md')}\n${join(dir, 'dep2.md')}`);
  });
});

describe('a result in a variable', () => {
  const file = join(dir, 'result.md');

  it('is cut to the limit at a line end, says where and names the whole file', () => {
    const line = 'é'.repeat(99) + '\n'; // 199 bytes
    writeFileSync(file, line.repeat(1000));
    const text = resultText(file, DEP_RESULT_MAX_BYTES);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(DEP_RESULT_MAX_BYTES);
    expect(Buffer.byteLength(text)).toBeGreaterThan(DEP_RESULT_MAX_BYTES - 400);
    const [kept, note] = [text.slice(0, text.lastIndexOf('[panecrew:')), text.slice(text.lastIndexOf('[panecrew:'))];
    expect(kept.split('\n').slice(0, -1).every((l) => l === line.slice(0, -1))).toBe(true);
    expect(note).toBe(`[panecrew: result cut here, 199000 bytes in all; the whole result: ${file}]\n`);
  });

  it('never splits a character when there is no line end to cut at', () => {
    writeFileSync(file, '€'.repeat(50_000));
    const text = resultText(file, 1000);
    expect(text).not.toContain('\uFFFD');
    expect(text).toMatch(/^€+\n\[panecrew: result cut here, 150000 bytes in all/);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1000);
  });

  it('holds no NUL (the env file is NUL-separated) and is empty for a missing file', () => {
    writeFileSync(file, 'a\0b\0PANECREW_TASK_ID=forged\n');
    expect(resultText(file, 1000)).toBe('abPANECREW_TASK_ID=forged\n');
    expect(resultText(join(dir, 'missing.md'), 1000)).toBe('');
  });
});
