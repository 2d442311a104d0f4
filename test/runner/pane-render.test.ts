// The pane renderer (dist/runner/pane-render.js) as the runner runs it: a real process fed an agent's
// recorded JSON stream on stdin. What it prints must read as a transcript, never as JSON.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/render/width.js';

const RENDERER = resolve(import.meta.dirname, '../../dist/runner/pane-render.js');
const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

async function render(format: string, input: string, env: Record<string, string> = {}, flags: string[] = []) {
  const copy = join(mkdtempSync(join(tmpdir(), 'panecrew-render-')), 'pane.log');
  const r = await execa('node', [RENDERER, format, '/home/dev/project', copy, ...flags], { input, env: { COLUMNS: '100', ...env }, reject: false });
  return { ...r, rows: r.stdout.split('\n'), copy: existsSync(copy) ? readFileSync(copy, 'utf8') : '' };
}

/** A row that parses as JSON, or starts like a JSON event cut short. */
const isJson = (row: string): boolean => {
  const t = row.trim();
  try {
    return /^[[{]/.test(t) && (JSON.parse(t), true);
  } catch {
    return t.startsWith('{"');
  }
};

describe('pane-render', () => {
  it.each([
    ['claude-stream-json', 'claude-multi-block.jsonl', '● Read src/auth.ts', 'Tokens are verified in src/auth.ts', '4 tool calls · tokens 6.4k in, 151 out · $0.0123'],
    ['opencode-json', 'opencode-read.jsonl', '● Read notes.txt', 'The answer is 42.', '1 tool call · tokens 200 in, 27 out'],
    ['panecrew-events', 'panecrew-events.jsonl', '● Read src/auth.ts', 'verifyToken lives in src/auth.ts:42.', '2 tool calls · tokens 2.6k in, 190 out'],
  ])('%s: the text, one line per tool step, the result and the totals; no JSON line', async (format, file, step, answer, totals) => {
    const r = await render(format, fixture(file));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.rows.filter(isJson)).toEqual([]);
    expect(r.rows).toContain(step);
    expect(r.stdout).toContain(answer);
    expect(r.rows.filter((l) => l.startsWith(totals))).toHaveLength(1);
    // The same rows go to the copy the ending banner shows.
    expect(r.copy).toBe(`${r.stdout}\n`);
  });

  it('shows an error clearly, and a line that is not JSON (a warning) as it is', async () => {
    const r = await render('claude-stream-json', `warning: something odd\n${fixture('claude-api-error.jsonl')}`);
    expect(r.rows).toContain('warning: something odd');
    expect(r.rows.some((l) => /^✗ API Error: Unable to connect/.test(l))).toBe(true);
    expect(r.rows.filter(isJson)).toEqual([]);
  });

  it("makes the model's text inert and fits every row to the pane's width", async () => {
    const evil = `Look\u001b]52;c;aGk=\u0007 here\u001b[2J ${'long words '.repeat(30)}`;
    const line = JSON.stringify({ type: 'assistant', message: { id: 'm1', content: [{ type: 'text', text: evil }, { type: 'tool_use', name: 'Bash', input: { command: `echo ${'x'.repeat(200)}` } }] } });
    const r = await render('claude-stream-json', `${line}\n`, { COLUMNS: '40' });
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).not.toContain('\u0007');
    expect(r.rows.every((l) => displayWidth(l) <= 40)).toBe(true);
    expect(r.rows.some((l) => l.startsWith('● Bash echo xxx') && l.endsWith('…'))).toBe(true);
  });

  it('paints only on a terminal, and never with --no-color', async () => {
    // Not a terminal here (a pipe): plain rows even without NO_COLOR.
    const r = await render('claude-stream-json', fixture('claude-read.jsonl'));
    expect(r.stdout).not.toContain('\u001b[');
    const off = await render('claude-stream-json', fixture('claude-read.jsonl'), {}, ['--no-color']);
    expect(off.stdout).toBe(r.stdout);
  });

  it('says what is wrong with its arguments, and still drains its input', async () => {
    const r = await render('yaml-stream', 'x\n'.repeat(100_000));
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/cannot show this task's output here \(usage: pane-render FORMAT CWD COPY/);
  });
});
