// The control connection (control.ts): a real tmux server, a real `tmux -C` client. What goes over it
// must mean exactly what the same argv means to a spawned client, hostile text included, and
// attaching must change nothing a person sees.
import { afterEach, describe, expect, it } from 'vitest';
import { clientsShowingPane } from '../../src/notify/tmux-clients.js';
import { TmuxClient, TmuxError } from '../../src/tmux/client.js';
import { controlLine } from '../../src/tmux/control.js';
import { startTmuxServer, type TestTmuxServer } from '../support/tmux-server.js';
import { until } from '../support/until.js';

let server: TestTmuxServer | undefined;
const clients: TmuxClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.stopControl();
  await server?.kill();
  server = undefined;
});

/** A client of the test server whose calls go over a control connection attached to session `main`. */
async function attached(s: TestTmuxServer, options: { controlIdleMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<TmuxClient> {
  const client = new TmuxClient({ socketName: s.socketName }, options);
  clients.push(client);
  client.attachControl(await s.client.display(s.mainPane, '#{session_id}'));
  await until(() => client.controlAttached, 'the control connection');
  return client;
}

const HOSTILE = [
  `'; kill-server; '`,
  `a;`,
  `a \\; kill-server`,
  `$(touch /tmp/panecrew-owned) \`id\` $HOME ~`,
  `#{pane_id} #(echo owned) ##`,
  `{ kill-server }`,
  `%if 1`,
  `"double" 'single' \\ back\\slash`,
  `tab\there \u001f unit`,
  `-t`,
  '',
  'ünïcødé ✓',
];

describe('the tmux control connection', () => {
  it('stores hostile text exactly as a spawned client does, and runs nothing from it', async () => {
    server = await startTmuxServer();
    const control = await attached(server);
    for (const [i, text] of HOSTILE.entries()) {
      await control.run(['set-option', '-p', '-t', server.mainPane, `@hostile${i}`, text]);
      // Read back by a spawned client: show-options -v prints the value without expanding it.
      expect(await server.client.run(['show-options', '-pqv', '-t', server.mainPane, `@hostile${i}`])).toBe(text);
    }
    expect(control.controlAttached).toBe(true);
    expect(await server.client.run(['display-message', '-p', '-t', server.mainPane, '#{session_name}'])).toBe('main');
  });

  it('answers each command with what a spawned client prints, outputs that look like its own guards included', async () => {
    server = await startTmuxServer();
    const control = await attached(server);
    // show-options prints a value as it is (display-message would expand %e, strftime's day).
    await server.client.run(['set-option', '-p', '-t', server.mainPane, '@guard', '%end 1 2 1']);
    const commands = [
      ['show-options', '-pqv', '-t', server.mainPane, '@guard'],
      ['display-message', '-p', ''],
      ['list-panes', '-t', server.mainWindow, '-F', '#{pane_id} #{pane_width}'],
      ['set-option', '-p', '-t', server.mainPane, '@quiet', '1'],
      ['display-message', '-p', 'last'],
    ];
    const spawned = await server.client.runEach(commands);
    expect(spawned[0]).toBe('%end 1 2 1');
    expect(await control.runEach(commands)).toEqual(spawned);
    expect(await control.runAll(commands)).toBe(await server.client.runAll(commands));
  });

  it('stops a line at the command that fails, as a spawned client does, with the same error', async () => {
    server = await startTmuxServer();
    const control = await attached(server);
    const err = await control.runAll([['set-option', '-p', '-t', server.mainPane, '@before', 'ran'], ['select-pane', '-t', '%999'], ['set-option', '-p', '-t', server.mainPane, '@after', 'ran']]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TmuxError);
    expect((err as TmuxError).isMissingTarget).toBe(true);
    expect(await server.client.run(['show-options', '-pqv', '-t', server.mainPane, '@before'])).toBe('ran');
    expect(await server.client.run(['show-options', '-pqv', '-t', server.mainPane, '@after'])).toBe('');
    // The connection stays usable after an error.
    expect(await control.run(['display-message', '-p', 'still here'])).toBe('still here');
    expect(control.controlAttached).toBe(true);
  });

  it('leaves to a spawned client what a command line cannot hold (a newline)', async () => {
    expect(controlLine([['display-message', '-p', 'two\nlines']])).toBeNull();
    server = await startTmuxServer();
    const control = await attached(server);
    await control.run(['set-option', '-p', '-t', server.mainPane, '@lines', 'one\ntwo']);
    expect(await server.client.run(['show-options', '-pqv', '-t', server.mainPane, '@lines'])).toBe('one\ntwo');
  });

  it('changes nothing a person sees: current window, window size, session environment, the clients told of an ending', async () => {
    server = await startTmuxServer({ width: 120, height: 40 });
    const { mainPane } = server;
    await server.client.run(['new-window', '-d', '-t', 'main:', '--', 'sleep', '3600']);
    await server.client.run(['set-option', '-g', 'update-environment', 'PANECREW_PROBE']);
    const before = await server.client.display(mainPane, '#{window_index} #{window_width}x#{window_height}');
    const control = await attached(server, { env: { PANECREW_PROBE: 'from-the-controller' } });
    await control.run(['split-window', '-d', '-t', mainPane, '--', 'sleep', '3600']);
    expect(await server.client.display(mainPane, '#{window_index} #{window_width}x#{window_height}')).toBe(before);
    expect(await server.client.run(['show-environment', '-t', 'main', 'PANECREW_PROBE']).catch((e: TmuxError) => e.stderr)).toMatch(/unknown variable/);
    expect(await clientsShowingPane({ socket: await server.client.display(mainPane, '#{socket_path}'), pane: mainPane, timeoutMs: 5000 })).toEqual([]);
  });

  it('detaches when unused, when stopped, and falls back to spawning when its session is gone', async () => {
    server = await startTmuxServer();
    const controlClients = async () => (await server!.client.run(['list-clients', '-F', '#{client_control_mode}'])).split('\n').filter((l) => l === '1').length;
    const idle = await attached(server, { controlIdleMs: 200 });
    await idle.run(['display-message', '-p', 'x']);
    await until(async () => !idle.controlAttached && (await controlClients()) === 0, 'the idle connection to detach');
    idle.resumeControl();
    await until(() => idle.controlAttached, 'the connection to attach again where it was');
    idle.stopControl();

    const stopped = await attached(server);
    stopped.stopControl();
    await until(async () => (await controlClients()) === 0, 'the stopped connection to detach');
    expect(await stopped.run(['display-message', '-p', 'spawned'])).toBe('spawned');

    const orphaned = await attached(server);
    await server.client.run(['new-session', '-d', '-s', 'other', '--', 'sleep', '3600']);
    await server.client.run(['kill-session', '-t', 'main']);
    await until(() => !orphaned.controlAttached, 'the connection to notice its session is gone');
    expect(await orphaned.run(['display-message', '-p', '-t', 'other:', '#{session_name}'])).toBe('other');
  });

  it('says once that an attach was refused, and calls go on over spawned clients', async () => {
    server = await startTmuxServer();
    const client = new TmuxClient({ socketName: server.socketName });
    clients.push(client);
    const refusals: Error[] = [];
    const refused = (err: Error) => refusals.push(err);
    client.attachControl('$999', refused); // no such session
    await until(() => refusals.length === 1, 'the refusal');
    client.attachControl('$999', refused); // within the retry window: not tried, not said again
    expect(client.controlAttached).toBe(false);
    expect(await client.run(['display-message', '-p', 'spawned'])).toBe('spawned');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toBeInstanceOf(TmuxError);
  });
});
