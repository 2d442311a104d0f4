// Tasks launched from a pane of a real tmux server open beside it, end visibly and tidy up after themselves.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ListedTask } from '../../src/controller/protocol.js';
import { TmuxClient } from '../../src/tmux/client.js';
import { startTestController, testConfig, until, type TestController } from '../support/controller.js';
import { geometry, startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';

let tc: TestController | undefined;
let tmux: TestTmuxServer | undefined;
afterEach(async () => {
  await tc?.stop();
  await tmux?.kill();
  tc = tmux = undefined;
});

const CONFIG = testConfig({
  background_task: { killGraceMs: '500ms' },
  tmux: { enabled: true, close_delay_ms: '300ms', main_pane_min_width: 100 },
});

async function setup(width = 240, height = 60) {
  tmux = await startTmuxServer({ width, height });
  tc = await startTestController(CONFIG);
  const socket = await tmux.client.run(['display', '-p', '-t', tmux.mainPane, '#{socket_path}']);
  // What a CLI running in the main pane would have in its environment.
  const fromPane = { TMUX: `${socket},1,0`, TMUX_PANE: tmux.mainPane };
  const launch = async (args: string[]) => {
    const r = await tc!.cli(['launch', '--json', '--agent', 'shell', ...args], { env: fromPane });
    if (r.exitCode !== 0) throw new Error(r.stderr as string);
    return JSON.parse(r.stdout as string) as ListedTask;
  };
  const get = async (id: string) => {
    const c = await tc!.client();
    try {
      return await c.request({ op: 'get', taskId: id });
    } finally {
      c.close();
    }
  };
  return { launch, get, tmux: tmux!, tc: tc! };
}

describe('tasks in tmux panes', () => {
  it('opens the task beside the launching pane, tagged and titled, without taking focus', async () => {
    const { launch, tmux, tc } = await setup();
    const t = await launch(['--title', 'look #{around}', '--prompt', 'echo hello-from-the-pane; sleep 30']);
    const running = await tc.waitPane(t.id);
    expect(running.placement).toBe('pane');
    const panes = await tmux.client.run(['list-panes', '-t', tmux.mainWindow, '-F', '#{pane_id} #{@panecrew_task} #{pane_active} #{pane_title}']);
    const line = panes.split('\n').find((l) => l.startsWith(`${running.paneId} `))!;
    expect(line).toBe(`${running.paneId} ${t.id} 0 ${t.id} shell look #{around}`);
    expect(panes).toContain(`${tmux.mainPane}  1`);
    await until(async () => (await tmux.client.run(['capture-pane', '-p', '-t', running.paneId!])).includes('hello-from-the-pane'), 'the output in the pane');
  });

  it('shows the outcome when the task ends, then closes the pane and closes up the layout', async () => {
    const { launch, tmux, tc } = await setup();
    const t = await launch(['--prompt', 'echo done-soon']);
    const ended = await tc.waitFinal(t.id);
    expect(ended.state).toBe('completed');
    await until(async () => (await geometry(tmux.client, tmux.mainWindow)).length === 1, 'the pane to close');
    const [main] = await geometry(tmux.client, tmux.mainWindow);
    expect(main!.w).toBe(240);
  });

  it('shows the outcome even under one very long line of output (tmux caps a command at 16 KB)', async () => {
    const { launch, tmux, tc } = await setup();
    const t = await launch(['--prompt', "head -c 40000 /dev/zero | tr '\\0' x; echo; sleep 0.2"]);
    const running = await tc.waitPane(t.id);
    await tc.waitFinal(t.id);
    await until(async () => (await tmux.client.run(['capture-pane', '-p', '-t', running.paneId!])).includes(`panecrew ${t.id}: completed`), 'the banner');
  });

  it('agent output can never become a tmux command (tmux splits commands at an argument ending in ";")', async () => {
    const { launch, tmux, tc } = await setup();
    // Shown in the banner, these lines would run `new-window -d touch <cwd>/pwned …` if a line ending
    // in ';' were passed to tmux unescaped.
    const t = await launch(['--cwd', tc.dir, '--prompt', 'printf "step one;\\nnew-window\\n-d\\ntouch\\n%s\\n" "$PWD/pwned"; sleep 0.2']);
    const running = await tc.waitPane(t.id);
    await tc.waitFinal(t.id);
    const screen = await until(async () => {
      const text = await tmux.client.run(['capture-pane', '-p', '-t', running.paneId!]);
      return text.includes(`panecrew ${t.id}: completed`) ? text : null;
    }, 'the banner');
    expect(screen).toContain('step one;');
    expect(existsSync(join(tc.dir, 'pwned'))).toBe(false);
    expect(await tmux.client.run(['list-windows', '-a', '-F', '#{window_id}'])).not.toContain('\n');
  });

  it('never touches a window of another session', async () => {
    const { launch, tmux, tc } = await setup();
    await tmux.client.run(['new-session', '-d', '-s', 'other', '-x', '200', '-y', '50', '--', 'sleep', '3600']);
    await tmux.client.run(['split-window', '-d', '-t', 'other:', '-h', '--', 'sleep', '3600']);
    const snapshot = () => tmux.client.run(['list-panes', '-s', '-t', 'other', '-F', '#{pane_id} #{pane_width}x#{pane_height} #{pane_active}']);
    const before = await snapshot();
    const tasks = await Promise.all([launch(['--prompt', 'sleep 0.5']), launch(['--prompt', 'sleep 0.5'])]);
    for (const t of tasks) await tc.waitFinal(t.id);
    await until(async () => (await geometry(tmux.client, tmux.mainWindow)).length === 1, 'the panes to close');
    expect(await snapshot()).toBe(before);
  });

  it('a pane killed by hand ends its task as error with the reason, and frees the slot', async () => {
    const { launch, tmux, tc } = await setup();
    const t = await launch(['--prompt', 'sleep 60']);
    const running = await tc.waitPane(t.id);
    await tmux.client.run(['kill-pane', '-t', running.paneId!]);
    const ended = await tc.waitFinal(t.id, 5_000);
    expect(ended.state).toBe('error');
    expect(ended.reason).toMatch(/SIGHUP|vanished/);
  });

  it('killing the tmux server ends every task in it with a reason', async () => {
    const { launch, tmux, tc } = await setup();
    const tasks = [await launch(['--prompt', 'sleep 60']), await launch(['--prompt', 'sleep 60'])];
    for (const t of tasks) await tc.waitPane(t.id);
    const killedAt = Date.now();
    await tmux.kill();
    for (const t of tasks) {
      const ended = await tc.waitFinal(t.id, 5_000);
      expect(ended.state).toBe('error');
      expect(ended.reason).toMatch(/SIGHUP|vanished/);
      expect(ended.endedAt! - killedAt).toBeLessThan(2_000);
    }
  });

  it('focus selects the task pane', async () => {
    const { launch, tmux, tc } = await setup();
    const t = await launch(['--prompt', 'sleep 60']);
    const running = await tc.waitPane(t.id);
    expect((await tc.cli(['focus', t.id])).exitCode).toBe(0);
    expect(await tmux.client.run(['display', '-p', '-t', running.paneId!, '#{pane_active}'])).toBe('1');
  });
});

describe('controller restart', () => {
  it('re-adopts a task running in a pane, and still tidies the pane when it ends', async () => {
    const { launch, get, tmux, tc } = await setup();
    const go = `${tc.dir}/go`;
    const t = await launch(['--cwd', tc.dir, '--prompt', 'while [ ! -e go ]; do sleep 0.05; done; echo finished']);
    const running = await tc.waitPane(t.id);
    await tc.kill('SIGKILL');
    // As if the controller had died before the pane id reached the journal: the pane's tag finds it.
    const journal = join(tc.home, 'journal.jsonl');
    writeFileSync(journal, readFileSync(journal, 'utf8').replaceAll(`"paneId":"${running.paneId}"`, '"paneId":null'));
    await tc.start();
    expect((await get(t.id)).state).toBe('running');
    expect((await tc.waitPane(t.id)).paneId).toBe(running.paneId);
    writeFileSync(go, '');
    const ended = await tc.waitFinal(t.id);
    expect(ended.state).toBe('completed');
    expect(ended.paneId).toBe(running.paneId);
    await until(async () => (await geometry(tmux.client, tmux.mainWindow)).length === 1, 'the pane to close');
  });
});

describe('launched outside tmux', () => {
  it('runs the task in a detached `panecrew` session of the default server', async () => {
    // TMUX_TMPDIR moves the default server's socket into a private folder: never the user's server.
    const socketDir = mkdtempSync(join(tmpdir(), 'pc-default-'));
    tc = await startTestController(CONFIG, { TMUX_TMPDIR: socketDir });
    const t = await tc.launch(['--agent', 'shell', '--prompt', 'echo outside; sleep 30']);
    const running = await tc.waitPane(t.id);
    const server = new TmuxClient({ socketPath: join(socketDir, `tmux-${process.getuid!()}`, 'default') });
    try {
      const panes = await server.run(['list-panes', '-a', '-F', '#{session_name} #{pane_id} #{@panecrew_task}']);
      expect(panes).toContain(`panecrew ${running.paneId} ${t.id}`);
      expect(running.placement).toBe('pane');
    } finally {
      await tc.stop();
      tc = undefined;
      await server.run(['kill-server']).catch(() => {});
      rmSync(socketDir, { recursive: true, force: true });
    }
  });
});

describe('panes that are not what they were', () => {
  it('a task whose launching pane closed while it waited runs in the panecrew session instead', async () => {
    const { tmux, tc } = await setup();
    const socket = await tmux.client.run(['display', '-p', '-t', tmux.mainPane, '#{socket_path}']);
    const r = await tc.cli(['launch', '--json', '--agent', 'shell', '--prompt', 'sleep 30'], { env: { TMUX: `${socket},1,0`, TMUX_PANE: '%99' } });
    const t = JSON.parse(r.stdout as string) as ListedTask;
    const running = await tc.waitPane(t.id);
    expect(await tmux.client.run(['display', '-p', '-t', running.paneId!, '#{session_name}'])).toBe('panecrew');
  });

  it('the layout hook leaves the window with the last agent pane', async () => {
    const { launch, tmux, tc } = await setup();
    const t = await launch(['--prompt', 'sleep 0.3']);
    await until(async () => (await tmux.client.run(['show-hooks', '-w', '-t', tmux.mainWindow])).includes('window-resized'), 'the hook');
    await tc.waitFinal(t.id);
    await until(async () => (await geometry(tmux.client, tmux.mainWindow)).length === 1, 'the pane to close');
    await until(async () => !(await tmux.client.run(['show-hooks', '-w', '-t', tmux.mainWindow])).includes('window-resized'), 'the hook to go');
  });
});
