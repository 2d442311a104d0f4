import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { newTask } from '../../src/core/task.js';
import { CpuSampler } from '../../src/scheduler/cpu.js';
import { configuredRss, gateFrom, readGate } from '../../src/scheduler/gate.js';
import { plan } from '../../src/scheduler/plan.js';
import { until } from '../support/until.js';
import { burnAllCpus, type Burn } from './burn.js';

const MB = 1024 * 1024;
const defaults = ConfigSchema.parse({}).background_task;
const options = defaults.resourceGate;
const task = (id: string, agent = 'claude') => newTask({ id, title: id, agent, model: null, key: 'k/k', provider: 'k', prompt: 'x', cwd: '/' });

let burn: Burn | undefined;
afterEach(async () => {
  await burn?.stop();
  burn = undefined;
});

describe('gateFrom (readings → gate)', () => {
  const memory = { totalBytes: 16_000 * MB, availableBytes: 12_000 * MB };

  it('closes on recent CPU use over the threshold, and says so', () => {
    const gate = gateFrom({ cpuPercent: 95, memory, growingBytes: 0 }, options, configuredRss(options));
    expect(gate.open).toBe(false);
    expect(gate.detail).toMatch(/^cpu 95% > 70%/);
    expect(gate.minRunning).toBe(1);
  });

  it('memory headroom is what stays below memoryPercent after what our running tasks are still expected to grow by', () => {
    const gate = gateFrom({ cpuPercent: 10, memory, growingBytes: 1_000 * MB }, options, configuredRss(options));
    // 85% of 16,000 MB = 13,600; 4,000 in use; 1,000 still growing → 8,600 MB.
    expect(gate.memory!.headroomBytes / MB).toBeCloseTo(8_600);
    expect(gate.open).toBe(true);
  });

  it('an agent never measured is expected to take its configured default, else defaultRssMb', () => {
    const expected = configuredRss(options);
    expect(expected('claude') / MB).toBe(600);
    expect(expected('shell') / MB).toBe(20);
    expect(expected('some-new-agent') / MB).toBe(500);
    expect(expected('__proto__') / MB).toBe(500);
  });

  it('closes when memory in use (with what is still growing) is already over memoryPercent', () => {
    const full = { totalBytes: 16_000 * MB, availableBytes: 2_000 * MB };
    expect(gateFrom({ cpuPercent: 10, memory: full, growingBytes: 500 * MB }, options, configuredRss(options))).toMatchObject({
      open: false,
      detail: 'cpu 10%, memory 88% + 500 MB still growing > 85%',
    });
  });

  it('readGate sets aside what running tasks have yet to grow by, from their sampled RSS', () => {
    const gate = readGate(options, { running: [{ agent: 'claude', rssBytes: 100 * MB }, { agent: 'shell', rssBytes: null }], cpu: new CpuSampler() });
    expect(gate.detail).toMatch(/\+ 520 MB still growing/);
  });

  it('without a CPU window yet, holds (beyond minRunning) until measured', () => {
    expect(gateFrom({ cpuPercent: null, memory, growingBytes: 0 }, options, configuredRss(options))).toMatchObject({ open: false, detail: expect.stringMatching(/^cpu being measured, memory 25%$/) });
  });
});

describe('CpuSampler (real /proc/stat)', () => {
  it('sees all CPUs busy within seconds of a burn, not a minute later', async () => {
    const sampler = new CpuSampler();
    burn = burnAllCpus(30_000);
    const started = Date.now();
    const busy = await until(() => {
      const p = sampler.percent();
      return p !== null && p >= 90 ? p : null;
    }, 'the sampler to see the CPUs busy', 15_000, 100);
    expect(busy).toBeGreaterThanOrEqual(90);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reads busy time between two readings a window apart, and no file within a window', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'panecrew-cpu-'));
    const stat = join(dir, 'stat');
    try {
      writeFileSync(stat, 'cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 1 1 1 1\n');
      const sampler = new CpuSampler(200, 60_000, stat);
      expect(sampler.percent()).toBeNull();
      // user+system +300, idle +100 (iowait counts as idle): 75% busy.
      writeFileSync(stat, 'cpu  250 0 250 850 50 0 0 0 0 0\n');
      expect(await until(() => sampler.percent(), 'the first window', 5_000, 10)).toBe(75);
      rmSync(stat);
      expect(sampler.percent()).toBe(75);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a reading older than staleMs says nothing about now: a new window starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'panecrew-cpu-'));
    const stat = join(dir, 'stat');
    try {
      writeFileSync(stat, 'cpu  100 0 100 800 0 0 0 0 0 0\n');
      const sampler = new CpuSampler(10, 50, stat);
      const t0 = Date.now();
      await until(() => Date.now() - t0 > 60, 'the reading to go stale', 5_000, 10);
      expect(sampler.percent()).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a busy machine with the default config', () => {
  it('starts the first task at once and holds the second on cpu', async () => {
    const sampler = new CpuSampler();
    burn = burnAllCpus(30_000);
    await until(() => (sampler.percent() ?? 0) >= 90, 'the CPUs to be busy', 15_000, 100);
    const launchedAt = Date.now();
    const gate = readGate(options, { cpu: sampler });
    expect(gate.open).toBe(false);
    const p = plan({ tasks: [task('first'), task('second')], limits: defaults, gate, now: launchedAt });
    expect(p.start.map((t) => t.id)).toEqual(['first']);
    expect(Date.now() - launchedAt).toBeLessThan(1_000);
    expect(p.waits.get('second')).toMatchObject({ kind: 'gate', detail: expect.stringMatching(/^cpu \d+% > 70%/) });
  });
});
