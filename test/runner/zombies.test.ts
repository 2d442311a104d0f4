// A process that exited but was not reaped (a zombie) is dead: kill(pid, 0) still succeeds on it,
// and in a container whose PID 1 never reaps, a controller killed with SIGKILL stays one forever.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireInstanceLock } from '../../src/controller/instance.js';
import { homePaths } from '../../src/core/paths.js';
import { processAlive } from '../../src/runner/kill.js';
import { execa } from 'execa';
import { CLI, testConfig } from '../support/controller.js';
import { until } from '../support/until.js';

const parents: ChildProcess[] = [];
afterEach(() => {
  for (const p of parents.splice(0)) p.kill('SIGKILL');
});

const procState = (pid: number): string | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
};

/**
 * A zombie and its still-running parent: bash starts a child, then becomes `sleep`, which never waits
 * for it. The parent leads its own process group; with `set -m` the child leads another, of which
 * it is the only member.
 */
async function makeZombie(): Promise<{ zombie: number; parent: number }> {
  const parent = spawn('bash', ['-c', 'set -m; sleep 0 & echo $!; exec sleep 30'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  parents.push(parent);
  let out = '';
  parent.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const zombie = await until(() => Number(out.trim()) || null, 'the child pid');
  await until(() => procState(zombie) === 'Z', `pid ${zombie} to be a zombie`);
  return { zombie, parent: parent.pid! };
}

describe('a zombie is dead', () => {
  it('processAlive says a zombie pid is not alive, and its live parent is', async () => {
    const { zombie, parent } = await makeZombie();
    expect(processAlive(zombie)).toBe(false);
    expect(processAlive(parent)).toBe(true);
  });

  it('a process group whose only member is a zombie is not alive; one with a live member is', async () => {
    const { zombie, parent } = await makeZombie();
    expect(processAlive(-zombie)).toBe(false);
    expect(processAlive(-parent)).toBe(true);
  });

  it('a controller lock whose owner is a zombie is taken over at once', async () => {
    const { zombie } = await makeZombie();
    const home = mkdtempSync(join(tmpdir(), 'panecrew-zombie-'));
    try {
      const paths = homePaths(home);
      writeFileSync(paths.pid, `${zombie}\n`);
      const started = Date.now();
      const lock = await acquireInstanceLock(paths);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(readFileSync(paths.pid, 'utf8').trim()).toBe(String(process.pid));
      lock.release();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('restarting after a controller was killed with SIGKILL', () => {
  it('a CLI call right after gets a working controller, though the dead one is an unreaped zombie', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'panecrew-zombie-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PANECREW_HOME: join(dir, 'home'), PANECREW_CONFIG: join(dir, 'config.yaml'), XDG_CONFIG_HOME: join(dir, 'xdg') };
    delete env.TMUX;
    writeFileSync(env.PANECREW_CONFIG!, testConfig());
    const cli = (...args: string[]) => execa('node', [CLI, ...args], { env, extendEnv: false, reject: false });
    try {
      // The controller's parent never waits for it, like a container's PID 1 that never reaps.
      const parent = spawn('bash', ['-c', 'node "$0" controller run >/dev/null 2>&1 & echo $!; exec sleep 60', CLI], {
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      parents.push(parent);
      let out = '';
      parent.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      const controller = await until(() => Number(out.trim()) || null, 'the controller pid');
      await until(async () => (await cli('ls')).exitCode === 0, 'the first controller to answer');
      process.kill(controller, 'SIGKILL');
      await until(() => procState(controller) === 'Z', 'the killed controller to be a zombie');

      // Before, the new controller called the zombie alive and left; the CLI waited ~11 s and exited 3.
      const r = await cli('ls');
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
    } finally {
      await cli('controller', 'stop');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
