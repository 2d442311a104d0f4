import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PeakStore, peaksFile } from '../../src/scheduler/peaks.js';

const MB = 1024 * 1024;
const fallback = (agent: string) => (agent === 'claude' ? 600 * MB : 500 * MB);
let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'panecrew-peaks-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('PeakStore', () => {
  it('expects the configured default until a run was measured, then the largest recent peak', () => {
    const store = new PeakStore(peaksFile(home), fallback);
    expect(store.expectedRss('claude')).toBe(600 * MB);
    store.recordPeak('claude', 900 * MB);
    store.recordPeak('claude', 700 * MB);
    expect(store.expectedRss('claude')).toBe(900 * MB);
    expect(store.expectedRss('codex')).toBe(500 * MB);
  });

  it('keeps what it learned across restarts, in one file written atomically', () => {
    new PeakStore(peaksFile(home), fallback).recordPeak('opencode', 321 * MB);
    expect(new PeakStore(peaksFile(home), fallback).expectedRss('opencode')).toBe(321 * MB);
    expect(readdirSync(home)).toEqual(['agent-peaks.json']);
  });

  it('forgets a peak after ten newer runs', () => {
    const store = new PeakStore(peaksFile(home), fallback);
    store.recordPeak('claude', 2_000 * MB);
    for (let i = 0; i < 10; i++) store.recordPeak('claude', 400 * MB);
    expect(store.expectedRss('claude')).toBe(400 * MB);
  });

  it('a damaged file is set aside with a reason and replaced on the next record', () => {
    writeFileSync(peaksFile(home), '{"claude": [1, "lots"]');
    const store = new PeakStore(peaksFile(home), fallback);
    expect(store.problem).toMatch(/not a valid peaks file/);
    expect(store.expectedRss('claude')).toBe(600 * MB);
    store.recordPeak('claude', 650 * MB);
    expect(JSON.parse(readFileSync(peaksFile(home), 'utf8'))).toEqual({ claude: [650 * MB] });
  });

  it('a run never measured (0 bytes) teaches nothing', () => {
    const store = new PeakStore(peaksFile(home), fallback);
    store.recordPeak('claude', 0);
    expect(store.expectedRss('claude')).toBe(600 * MB);
    expect(readdirSync(home)).toEqual([]);
  });
});
