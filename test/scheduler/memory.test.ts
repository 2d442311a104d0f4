import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { processGroupRss, readMemory } from '../../src/scheduler/memory.js';
import { RssTracker } from '../../src/scheduler/rss-tracker.js';
import { until } from '../support/until.js';

const MB = 1024 * 1024;
let group: ChildProcess | undefined;
afterEach(() => {
  if (group?.pid) {
    try {
      process.kill(-group.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  group = undefined;
});

/** A process group of two: a shell leader and a node child that holds `mb` MB until killed. */
function groupHolding(mb: number): number {
  const hold = `globalThis.b = Buffer.alloc(${mb} * 1024 * 1024, 1); setTimeout(() => {}, 30000)`;
  group = spawn('sh', ['-c', `"${process.execPath}" -e "${hold}" & wait`], { detached: true, stdio: 'ignore' });
  return group.pid!;
}

describe('processGroupRss (real /proc)', () => {
  it('sums the RSS of every process of a group and nothing else', async () => {
    const pgid = groupHolding(60);
    const rss = await until(() => {
      const r = processGroupRss(pgid);
      return r > 60 * MB ? r : null;
    }, 'the group to hold its buffer', 10_000, 50);
    expect(rss).toBeLessThan(300 * MB);
    expect(processGroupRss(2 ** 22 + 1)).toBe(0);
  });
});

describe('readMemory', () => {
  it('reads MemTotal and MemAvailable', () => {
    const m = readMemory();
    expect(m.totalBytes).toBeGreaterThan(0);
    expect(m.availableBytes).toBeGreaterThan(0);
    expect(m.availableBytes).toBeLessThanOrEqual(m.totalBytes);
  });
});

describe('RssTracker', () => {
  it("keeps a task's current RSS and its peak, which outlives the processes", async () => {
    const pgid = groupHolding(60);
    const tracker = new RssTracker();
    expect(tracker.current('t')).toBeNull();
    await until(() => {
      tracker.sample([{ id: 't', pid: pgid }, { id: 'placing', pid: null }]);
      return tracker.current('t')! > 60 * MB;
    }, 'a sample with the buffer', 10_000, 50);
    process.kill(-pgid, 'SIGKILL');
    await until(() => {
      tracker.sample([{ id: 't', pid: pgid }]);
      return tracker.current('t') === 0;
    }, 'the group to be gone', 10_000, 50);
    expect(tracker.current('placing')).toBeNull();
    expect(tracker.finish('t')).toBeGreaterThan(60 * MB);
    expect(tracker.current('t')).toBeNull();
  });
});
