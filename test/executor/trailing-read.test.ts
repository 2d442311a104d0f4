// The watcher reports a file's first change at once and folds the changes of the next 50 ms into one
// report at the window's end: an agent's last signal written inside that window must still be read.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { LocalExecutor } from '../../src/executor/local.js';
import { until } from '../support/until.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

it('reads a write that came right after a reported one, with nothing written after it', async () => {
  const tasks = mkdtempSync(join(tmpdir(), 'panecrew-trailing-'));
  const dir = join(tasks, 'bg_trailing');
  mkdirSync(dir);
  const executor = new LocalExecutor(tasks, () => {});
  let seen = '';
  const observation = executor.observe('bg_trailing', dir, {
    exit: () => {},
    activity: () => {},
    bytes: (_file, chunk) => {
      seen += chunk.toString('utf8');
    },
  });
  cleanup = async () => {
    observation.close();
    await executor.close();
    rmSync(tasks, { recursive: true, force: true });
  };
  const file = join(dir, 'signals.jsonl');
  // Created and changed at once: each reported event opens its own window.
  appendFileSync(file, 'first\n');
  appendFileSync(file, 'second\n');
  await until(async () => seen.includes('second'), 'the first lines');
  for (let i = 0; i < 5; i++) {
    appendFileSync(file, `change ${i}\n`);
    // The second write of each pair lands inside the window of the first.
    appendFileSync(file, `last ${i}\n`);
    await until(async () => seen.includes(`last ${i}\n`), `the last line of round ${i}`, 3_000);
  }
});
