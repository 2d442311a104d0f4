// The command channel: an argv template run without a shell.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Notifier } from '../../src/notify/notifier.js';
import { NotificationOptionsSchema, type NotificationOptionsInput } from '../../src/notify/options.js';
import { expandArgv } from '../../src/notify/command.js';
import { ending } from './task-factory.js';
import { waitFor } from './wait.js';

let dir: string;
let recorder: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pc-cmd-'));
  recorder = join(dir, 'record.mjs');
  // Appends its arguments as one JSON line: what the program really received, element by element.
  await writeFile(recorder, `import { appendFileSync } from 'node:fs';\nappendFileSync(process.argv[2], JSON.stringify(process.argv.slice(3)) + '\\n');\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function commandNotifier(command: NotificationOptionsInput['command'], logs: string[] = []): Notifier {
  return new Notifier(
    NotificationOptionsSchema.parse({ batch_window_ms: 0, throttle_ms: 0, desktop: { enabled: false }, tmux: { enabled: false }, bell: { enabled: false }, command }),
    { log: (m) => logs.push(m), activeCountFor: () => 1 },
  );
}

async function lines(file: string): Promise<string[][]> {
  if (!existsSync(file)) return [];
  return (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]);
}

describe('command channel', () => {
  test("a worktree's change summary learnt after the ending, before the batch goes out, is in the notification", async () => {
    const out = join(dir, 'changes.jsonl');
    const n = new Notifier(
      NotificationOptionsSchema.parse({ batch_window_ms: 300, throttle_ms: 0, desktop: { enabled: false }, tmux: { enabled: false }, bell: { enabled: false }, command: { enabled: true, argv: [process.execPath, recorder, out, '{summary}'] } }),
      { log: () => {}, activeCountFor: () => 1 },
    );
    const { task, previous } = ending('completed', { resultPreview: 'done it' });
    const workspace = { repo: '/r', path: '/w', branch: 'panecrew/x', base: 'main', baseCommit: null, changes: { files: 2, added: 5, removed: 1 } };
    n.onTaskChange(task, previous);
    n.onTaskChange({ ...task, workspace } as typeof task, task);
    const [args] = await waitFor(() => lines(out).then((l) => (l.length ? l : null)), 'the command to run');
    expect(args).toEqual(['2 files changed, +5 -1 · done it']);
    await n.close();
  });

  test('placeholders are replaced inside each argument and nothing is shell-interpreted', async () => {
    const out = join(dir, 'hostile.jsonl');
    const marker = join(dir, 'x');
    const title = `$(touch ${marker}) \`touch ${marker}\`; touch ${marker} "q" 'q' {reason} * $HOME`;
    const n = commandNotifier({
      enabled: true,
      argv: [process.execPath, recorder, out, '{id}', '{title}', '{agent}', '{state}', '{duration}', '{summary}', '{reason}', 'pre-{state}-post', '{"json": true}'],
    });
    const { task } = ending('error', { title, agent: 'review', reason: 'exit 3 | rm -rf ~\nsecond line' });
    n.onTaskChange(task, { ...task, state: 'running' });
    const [args] = await waitFor(() => lines(out).then((l) => (l.length ? l : null)), 'the command to run');
    expect(args).toEqual([
      task.id,
      title,
      'review',
      'error',
      '1m05s',
      'exit 3 | rm -rf ~',
      'exit 3 | rm -rf ~\nsecond line',
      'pre-error-post',
      '{"json": true}',
    ]);
    expect(existsSync(marker)).toBe(false);
    await n.close();
  });

  test('a batch runs the command once per task', async () => {
    const out = join(dir, 'batch.jsonl');
    const n = new Notifier(
      NotificationOptionsSchema.parse({ batch_window_ms: 200, desktop: { enabled: false }, command: { enabled: true, argv: [process.execPath, recorder, out, '{title}'] } }),
      { log: () => {}, activeCountFor: () => 1 },
    );
    for (const title of ['one', 'two', 'three']) {
      const e = ending('completed', { title });
      n.onTaskChange(e.task, e.previous);
    }
    await n.close();
    expect((await lines(out)).map((l) => l[0]).sort()).toEqual(['one', 'three', 'two']);
  });

  test('a hanging command is killed at its timeout; the caller never waits and health reports it', async () => {
    const logs: string[] = [];
    const n = commandNotifier({ enabled: true, timeout_ms: 300, argv: [process.execPath, '-e', 'setTimeout(() => {}, 60_000)'] }, logs);
    const { task, previous } = ending('completed');
    const before = performance.now();
    n.onTaskChange(task, previous);
    expect(performance.now() - before).toBeLessThan(200);
    const bad = await waitFor(() => n.health().find((h) => h.channel === 'command' && !h.ok), 'command reported down');
    expect(bad.detail).toMatch(/killed after 300ms/);
    await n.close();
    expect(logs).toHaveLength(1);
  });

  test('a missing program is reported with the option to fix', async () => {
    const n = commandNotifier({ enabled: true, argv: ['/nonexistent/hook', '{id}'] });
    const reports = await n.test();
    expect(reports.find((r) => r.channel === 'command')).toMatchObject({ outcome: 'failed', ok: false });
    expect(reports.find((r) => r.channel === 'command')!.detail).toMatch(/notification.command.argv\[0\]/);
  });

  test('an unknown placeholder stays as written', () => {
    expect(expandArgv(['{id}{nope}'], { id: 'bg_1', title: '', agent: '', state: '', duration: '', summary: '', reason: '' })).toEqual(['bg_1{nope}']);
  });
});
