// Real CPU load for the busy-machine tests: one spinning process per core, each ending by itself
// after `maxMs` even if the test dies, and killed by stop().
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';

export interface Burn {
  stop(): Promise<void>;
}

export function burnAllCpus(maxMs = 60_000): Burn {
  const children: ChildProcess[] = cpus().map(() =>
    spawn(process.execPath, ['-e', `const end = Date.now() + ${maxMs}; while (Date.now() < end);`], { stdio: 'ignore' }),
  );
  return {
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((done) => {
              if (c.exitCode !== null || c.signalCode !== null) return done();
              c.once('exit', () => done());
              c.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}
