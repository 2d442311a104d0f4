// The opencode signal adapter on lines its plugin writes (shapes seen from OpenCode 1.18.33 in
// test/agents/opencode-live.test.ts), and the opencode input-box rule on screens captured from its TUI.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SIGNALS_FILE } from '../../src/core/paths.js';
import { OPENCODE_PLUGIN_FILE, opencodeSignals, readOpencodeSignal } from '../../src/runner/signals/opencode.js';
import { INPUT_BOXES } from '../../src/tmux/input-boxes.js';

const line = (o: Record<string, unknown>) => JSON.stringify({ at: 1000, session: 'ses_a', ...o });

describe('opencode signals', () => {
  it('reads each plugin line as its signal', () => {
    expect(readOpencodeSignal(JSON.stringify({ opencode: 'ready', at: 5 }))).toEqual({ kind: 'session', at: 5 });
    expect(readOpencodeSignal(line({ opencode: 'session' }))).toEqual({ kind: 'session', at: 1000, sessionId: 'ses_a' });
    expect(readOpencodeSignal(line({ opencode: 'prompt' }))).toEqual({ kind: 'prompt', at: 1000, sessionId: 'ses_a' });
    const args = { command: 'npm test', description: 'Run the tests' };
    expect(readOpencodeSignal(line({ opencode: 'step', tool: 'bash', args }))).toMatchObject({ kind: 'step', tool: 'bash', target: 'npm test' });
    expect(readOpencodeSignal(line({ opencode: 'step-done', tool: 'bash', args }))).toMatchObject({ kind: 'step-done', tool: 'bash', target: 'npm test' });
    expect(readOpencodeSignal(line({ opencode: 'waiting', permission: 'bash', patterns: ['npm test'], tool: 'bash', args }))).toMatchObject({ kind: 'waiting', question: 'Allow bash `npm test`?' });
    // A permission asked outside a known tool call names what OpenCode names.
    expect(readOpencodeSignal(line({ opencode: 'waiting', permission: 'external_directory', patterns: ['/etc/*'] }))).toMatchObject({ kind: 'waiting', question: 'Allow external_directory `/etc/*`?' });
    expect(readOpencodeSignal(line({ opencode: 'idle', result: 'Done.', inputTokens: 80, outputTokens: 6, costUsd: 0 }))).toEqual({ kind: 'turn-end', at: 1000, sessionId: 'ses_a', result: 'Done.', inputTokens: 80, outputTokens: 6, costUsd: 0 });
  });

  it('skips foreign, torn and invalid lines, and reads an odd field as absent', () => {
    for (const raw of ['', '{"opencode":"idle"', 'not json', line({ opencode: 'unknown' }), JSON.stringify({ hook: 'Stop', at: 1, payload: {} }), line({ opencode: 'prompt', at: -1 })]) {
      expect(readOpencodeSignal(raw), raw).toBeNull();
    }
    expect(readOpencodeSignal(line({ opencode: 'idle', result: 42, inputTokens: 'many' }))).toEqual({ kind: 'turn-end', at: 1000, sessionId: 'ses_a' });
  });

  it('wires a plugin beside the signals file, named by OPENCODE_CONFIG_CONTENT (no argv, no file of the person touched)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'panecrew-oc-wire-'));
    const wiring = opencodeSignals.wire(dir, join(dir, SIGNALS_FILE));
    expect(wiring.argv).toEqual([]);
    expect(JSON.parse(wiring.env.OPENCODE_CONFIG_CONTENT!)).toEqual({ plugin: [pathToFileURL(join(dir, OPENCODE_PLUGIN_FILE)).href] });
    // The plugin writes signals.jsonl beside itself: the name the controller watches.
    expect(wiring.files[OPENCODE_PLUGIN_FILE]).toContain(`'${SIGNALS_FILE}'`);
  });

  it("the plugin's lines, fed the events OpenCode sends, read as one turn", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'panecrew-oc-plugin-'));
    const file = join(dir, OPENCODE_PLUGIN_FILE);
    writeFileSync(file, opencodeSignals.wire(dir, join(dir, SIGNALS_FILE)).files[OPENCODE_PLUGIN_FILE]!);
    delete (globalThis as { __panecrewSignals?: unknown }).__panecrewSignals;
    const { PanecrewSignals } = (await import(pathToFileURL(file).href)) as { PanecrewSignals: () => Promise<Record<string, (...a: unknown[]) => Promise<void>>> };
    const hooks = await PanecrewSignals();
    // Loaded a second time, it adds no second set of hooks (every line would come twice).
    expect(await PanecrewSignals()).toEqual({});
    const ev = (type: string, properties: unknown) => hooks.event!({ event: { type, properties } });
    await hooks['chat.message']!({ sessionID: 'ses_a' });
    await ev('session.created', { info: { id: 'ses_child', parentID: 'ses_a' } });
    await hooks['tool.execute.before']!({ tool: 'bash', sessionID: 'ses_a', callID: 'c1' }, { args: { command: 'ls' } });
    await ev('permission.asked', { sessionID: 'ses_a', permission: 'bash', patterns: ['ls'], tool: { callID: 'c1' } });
    await hooks['tool.execute.after']!({ tool: 'bash', sessionID: 'ses_a', callID: 'c1' });
    await ev('message.updated', { info: { id: 'm2', role: 'assistant', sessionID: 'ses_a', cost: 0.5, tokens: { input: 10, output: 3, cache: { read: 5 } } } });
    await ev('message.part.updated', { part: { id: 'p1', messageID: 'm2', type: 'text', text: 'All ' } });
    await ev('message.part.updated', { part: { id: 'p1', messageID: 'm2', type: 'text', text: 'All listed.' } });
    // A subagent's steps and idle are not the conversation's; its question is.
    await hooks['tool.execute.before']!({ tool: 'read', sessionID: 'ses_child', callID: 'c2' }, { args: { filePath: '/etc/hosts' } });
    await ev('permission.asked', { sessionID: 'ses_child', permission: 'external_directory', patterns: ['/etc/*'], tool: { callID: 'c2' } });
    await ev('session.idle', { sessionID: 'ses_child' });
    await ev('session.idle', { sessionID: 'ses_a' });
    const { readFileSync } = await import('node:fs');
    const signals = readFileSync(join(dir, SIGNALS_FILE), 'utf8').trim().split('\n').map(readOpencodeSignal);
    expect(signals.map((s) => s?.kind)).toEqual(['session', 'session', 'prompt', 'step', 'waiting', 'step-done', 'waiting', 'turn-end']);
    expect(signals[6]).toMatchObject({ sessionId: 'ses_child', question: 'Allow external_directory `/etc/*`?' });
    expect(signals[4]).toMatchObject({ question: 'Allow bash `ls`?', tool: 'bash', target: 'ls' });
    expect(signals[7]).toMatchObject({ sessionId: 'ses_a', result: 'All listed.', inputTokens: 15, outputTokens: 3, costUsd: 0.5 });
  });
});

describe('opencode input box', () => {
  const read = INPUT_BOXES.opencode;
  const box = (typed: string[]) =>
    ['  ┃  Run the check please', '', '     First answer: live-ran', '     ▣  Build · Claude (local mock) · 17.6s', '  ┃', ...typed.map((t) => `  ┃  ${t}`), '  ┃', '  ┃  Build · Claude (local mock) Local mock        /tmp/proj', '  ╹▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀', '   /tmp/proj     8.1K  ctrl+p commands    • OpenCode 1.18.33'].join('\n');
  it('reads what is typed, empty when nothing is', () => {
    expect(read(box([]))).toBe('');
    expect(read(box(['half typed']))).toBe('half typed');
    expect(read(box(['two', 'lines']))).toBe('two\nlines');
  });
  it("reads a new session's placeholder as empty", () => {
    expect(read(['   ┃', '   ┃  Ask anything… "What is the tech stack of this project?"', '   ┃', '   ┃  Build · Claude (local mock) Local mock', '   ╹▀▀▀▀▀▀▀▀▀▀▀▀'].join('\n'))).toBe('');
  });
  it('sees no box under a permission dialog, nor on a blank screen', () => {
    expect(read(['  ┃  △ Permission required', '  ┃  $ echo live-ran', '  ┃   Allow once   Allow always   Reject', '  ┃     • OpenCode 1.18.33'].join('\n'))).toBeNull();
    expect(read('\n\n')).toBeNull();
  });
});
