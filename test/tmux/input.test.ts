// Text delivered into a pane's input: byte for byte what a person pasting would send, whatever it
// holds, and never through a tmux command string. The pane runs a recorder that turns bracketed
// paste on (as an agent TUI does) and keeps every byte it receives.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverText, MAX_INPUT_CHARS } from '../../src/tmux/input.js';
import { startTmuxServer, until, type TestTmuxServer } from '../support/tmux-server.js';

const RECORDER = `
const fs = require('node:fs');
process.stdout.write('\\x1b[?2004h');
process.stdin.setRawMode(true);
process.stdin.on('data', (d) => fs.appendFileSync(process.argv[2], d));
fs.writeFileSync(process.argv[2] + '.ready', '');
`;

describe('deliverText', () => {
  let tmux: TestTmuxServer;
  let dir: string;
  let pane: string;
  let received: string;
  const got = () => (existsSync(received) ? readFileSync(received, 'latin1') : '');

  beforeAll(async () => {
    tmux = await startTmuxServer({ width: 120, height: 30 });
    dir = mkdtempSync(join(tmpdir(), 'panecrew-input-'));
    received = join(dir, 'received');
    writeFileSync(join(dir, 'recorder.cjs'), RECORDER);
    pane = await tmux.client.run(['new-window', '-d', '-P', '-F', '#{pane_id}', '--', process.execPath, join(dir, 'recorder.cjs'), received]);
    await until('the recorder', async () => existsSync(`${received}.ready`), 30_000);
  });
  afterAll(async () => {
    await tmux?.kill();
  });

  it('pastes the text bracketed, exactly as given, then presses Enter once, and leaves no buffer behind', async () => {
    const text = "line one; kill-server;\nline two #{pane_id} #(touch pwned) $(touch pwned) 'q' \"qq\" \\ \t tab ünï ✓;";
    await deliverText(tmux.client, pane, text);
    // tmux turns the newline into a carriage return, as a terminal paste does.
    const expected = `\x1b[200~${Buffer.from(text.replace(/\n/g, '\r'), 'utf8').toString('latin1')}\x1b[201~\r`;
    await until('the pasted bytes', async () => got() === expected || undefined, 30_000).catch(() => expect(got()).toBe(expected));
    expect(await tmux.client.run(['list-buffers', '-F', '#{buffer_name}'])).toBe('');
    expect(await tmux.client.run(['list-sessions', '-F', '#{session_name}'])).toBe('main');
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
  });

  it('refuses empty, oversized and NUL-holding text before touching the pane', async () => {
    const before = got();
    await expect(deliverText(tmux.client, pane, ' \n ')).rejects.toThrow(/nothing to send/);
    await expect(deliverText(tmux.client, pane, 'a\0b')).rejects.toThrow(/NUL/);
    await expect(deliverText(tmux.client, pane, 'x'.repeat(MAX_INPUT_CHARS + 1))).rejects.toThrow(/at most/);
    expect(got()).toBe(before);
  });

  it('with an input box to wait for, gives up at its deadline when the pane shows none, sending nothing', async () => {
    const before = got();
    await expect(deliverText(tmux.client, pane, 'hello', { box: 'claude', timeoutMs: 300 })).rejects.toThrow(/timed out after 300ms waiting for its input box to show/);
    expect(got()).toBe(before);
  });
});
