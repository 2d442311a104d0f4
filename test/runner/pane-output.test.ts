// The runner in a real tmux pane with an agent that writes JSON events: the pane shows the renderer's
// rows (100 columns wide), output.log keeps the stream byte for byte, capped or not, and a renderer
// that cannot run changes nothing but the pane.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/render/width.js';
import { nul, writeRunFile } from '../support/task-folder.js';
import { startTmuxServer, until, type TestTmuxServer } from '../support/tmux-server.js';

const DIST = resolve(import.meta.dirname, '../../dist/runner');
const FIXTURE = resolve(import.meta.dirname, 'fixtures/claude-multi-block.jsonl');

let root: string;
let tmux: TestTmuxServer;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'panecrew-pane-output-'));
  tmux = await startTmuxServer({ width: 100, height: 40 });
});
afterAll(async () => {
  await tmux?.kill();
  rmSync(root, { recursive: true, force: true });
});

/** A task folder whose agent prints the recorded Claude Code stream, rendered by `renderer`. */
function taskDir(name: string, renderer: string[], capBytes = 0): string {
  const dir = join(root, name);
  writeRunFile(dir, { argv: ['cat', FIXTURE], cwd: root, capBytes });
  writeFileSync(join(dir, 'pane-render.nul'), nul(renderer));
  return dir;
}

/**
 * Runs the runner in a new 100-column window; resolves with the pane's rows once exit.json is there.
 * A process stays in the pane after it (as the banner does for real): tmux may drop what a pane's last
 * process wrote just before exiting.
 */
async function runInPane(dir: string, rendered = true): Promise<string[]> {
  const stay = ['sh', '-c', '"$@"; exec sleep 3600', 'sh', join(DIST, 'panecrew-runner'), dir, 'pane'];
  const paneId = (await tmux.client.run(['new-window', '-d', '-P', '-F', '#{pane_id}', '--', ...stay])).trim();
  await until('exit.json', async () => {
    try {
      return readFileSync(join(dir, 'exit.json'), 'utf8');
    } catch {
      return undefined;
    }
  }, 30_000);
  // exit.json is written after the renderer has ended, so its rows are on their way to tmux.
  if (rendered) await until('the totals row', async () => (await tmux.client.run(['capture-pane', '-p', '-t', paneId])).includes(' tool calls · ') || undefined, 5_000).catch(() => {});
  return (await tmux.client.run(['capture-pane', '-p', '-S', '-', '-t', paneId])).split('\n');
}

const renderer = (dir: string): string[] => [process.execPath, join(DIST, 'pane-render.js'), 'claude-stream-json', '/home/dev/project', join(dir, 'pane.log'), '--no-color'];

describe('a print-mode pane', () => {
  it.each([
    ['uncapped', 0],
    ['capped', 400_000],
  ])('%s: shows the rendering, fitted to 100 columns, and output.log has the raw stream', async (name, cap) => {
    const dir = join(root, name);
    taskDir(name, renderer(dir), cap);
    const rows = await runInPane(dir);
    const screen = rows.join('\n');
    expect(rows.filter((r) => r.trim().startsWith('{')), screen).toEqual([]);
    expect(rows, screen).toContain('● Read src/auth.ts');
    expect(screen).toContain('Tokens are verified in src/auth.ts with jsonwebtoken; the tests pass.');
    expect(rows.some((r) => r.startsWith('4 tool calls · tokens 6.4k in, 151 out · $0.0123')), screen).toBe(true);
    expect(rows.every((r) => displayWidth(r) <= 100)).toBe(true);
    expect(readFileSync(join(dir, 'output.log'))).toEqual(readFileSync(FIXTURE));
    expect(JSON.parse(readFileSync(join(dir, 'exit.json'), 'utf8')).code).toBe(0);
    // The banner's copy holds the same rows.
    expect(readFileSync(join(dir, 'pane.log'), 'utf8')).toContain('● Read src/auth.ts\n');
  });

  it('a renderer that cannot start leaves output.log whole and the agent ending 0', async () => {
    const dir = taskDir('broken', ['/nonexistent/node', 'x']);
    await runInPane(dir, false);
    expect(readFileSync(join(dir, 'output.log'))).toEqual(readFileSync(FIXTURE));
    expect(JSON.parse(readFileSync(join(dir, 'exit.json'), 'utf8')).code).toBe(0);
  });

  it("shows a worktree's setup output before the agent's", async () => {
    const dir = taskDir('with-setup', renderer(join(root, 'with-setup')));
    writeFileSync(join(dir, 'setup.log'), 'installing the dependencies\nadded 12 packages\n');
    const rows = await runInPane(dir);
    const setup = rows.indexOf('added 12 packages');
    expect(setup).toBeGreaterThan(0);
    expect(rows[setup - 1]).toBe('installing the dependencies');
    expect(rows.findIndex((r) => r.includes(' tool calls · '))).toBeGreaterThan(setup);
  });
});
