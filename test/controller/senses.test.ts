// The timers that judge silence, and the CPU a quiet agent uses as its sign of life.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { groupCpuTicks, parseProcStat } from '../../src/system/proc.js';
import { TaskMonitor } from '../../src/liveness/monitor.js';
import { until } from '../support/until.js';

describe('the stale timeout', () => {
  it('fires once when the handler finds no other sign of life, and starts again when it does', async () => {
    let calls = 0;
    let alive = true;
    let ended = false;
    const monitor = new TaskMonitor({ staleMs: 50, stabilityMs: null, deadline: null }, {
      stale: () => {
        calls++;
        if (alive) {
          alive = false;
          return true;
        }
        ended = true;
        return false;
      },
      idle: () => {},
      timeout: () => {},
    });
    await until(() => ended, 'the second stale firing');
    monitor.stop();
    expect(calls).toBe(2);
  });
});

describe('/proc', () => {
  it('reads a stat line whose command name holds spaces and parentheses', () => {
    const line = '123 (my (odd) cmd) S 1 77 77 0 -1 4194560 100 0 0 0 11 22 3 4 20 0 1 0 100 1000 10';
    expect(parseProcStat(line)).toEqual({ state: 'S', pgrp: 77, cpuTicks: 40 });
  });

  it('counts the CPU a busy process group uses, and nothing for one that sleeps', async () => {
    const busy = spawn('bash', ['-c', 'while :; do :; done'], { detached: true, stdio: 'ignore' });
    const idle = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    try {
      // Starting `sleep` may cost a tick on a loaded machine: count from when it sleeps.
      await until(() => parseProcStat(readFileSync(`/proc/${idle.pid}/stat`, 'utf8'))?.state === 'S', 'sleep to sleep');
      const idleTicks = groupCpuTicks(idle.pid!)!;
      const first = groupCpuTicks(busy.pid!)!;
      await until(() => (groupCpuTicks(busy.pid!) ?? 0) > first + 5, 'the busy group to use CPU');
      expect(groupCpuTicks(idle.pid!)).toBe(idleTicks);
      expect(idleTicks).toBeLessThanOrEqual(2);
      expect(groupCpuTicks(999_999_999)).toBeNull();
    } finally {
      process.kill(-busy.pid!, 'SIGKILL');
      process.kill(-idle.pid!, 'SIGKILL');
    }
  });
});
