// A batch of launches becomes task records, all checked before any is written: refs of the batch
// resolve to the ids its tasks will get, and waiting among them must not go round in a circle.
import type { Config } from '../config/schema.js';
import { newTaskId } from '../core/ids.js';
import type { TaskRecord } from '../core/task.js';
import type { HomePaths } from '../core/paths.js';
import { keepClientEnv, recordFromLaunch, type KnownTask } from './launch.js';
import type { TaskStore } from './store.js';
import { RequestError, type BatchItem, type LaunchSpec } from './protocol.js';
import type { Catalog } from './resolve.js';

export interface Batch {
  tasks: BatchItem[];
  env: Record<string, string>;
  origin: LaunchSpec['origin'];
}

const ID = /^bg_[0-9a-z]{8}$/;

/** Checks every task of the batch, then writes them in one journal entry and calls `created`;
 *  nothing is written when one is bad. */
export function createBatch(batch: Batch, { store, catalog, config, paths }: { store: TaskStore; catalog: Catalog; config: Config; paths: HomePaths }, created: () => void): TaskRecord[] {
  const records = recordsFromBatch(batch, catalog, config, store.tasks, paths.tasks);
  try {
    for (const task of records) keepClientEnv(paths.tasks, task.id, batch.env);
    store.createMany(records);
    created();
    return records;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    throw new RequestError('conflict', `the disk holding ${paths.home} is full: no task of the batch was queued. Free some space and submit it again`);
  }
}

/** The batch's records, in its order; throws a RequestError naming the task (nothing written). */
export function recordsFromBatch(batch: Batch, catalog: Catalog, config: Config, existing: Map<string, TaskRecord>, tasksDir: string): TaskRecord[] {
  const idOfRef = new Map<string, string>();
  const ids = batch.tasks.map((item, i) => {
    const id = newTaskId();
    if (item.ref === undefined) return id;
    if (ID.test(item.ref)) throw refused(item, i, `ref ${item.ref} looks like a task id; give it another name`);
    if (idOfRef.has(item.ref)) throw refused(item, i, `ref ${item.ref} is given to two tasks of the batch`);
    idOfRef.set(item.ref, id);
    return id;
  });
  const resolve = (item: BatchItem, i: number, name: string): string => {
    if (ID.test(name)) return name;
    const id = idOfRef.get(name);
    if (!id) throw refused(item, i, `after: ${name} is neither a task id nor the ref of a task in this batch`);
    return id;
  };
  const afters = batch.tasks.map((item, i) => item.after.map((name) => resolve(item, i, name)));
  checkAcyclic(batch.tasks, ids, afters);
  // Existing tasks and this batch's own: a dependency may be either.
  const known = new Map<string, KnownTask>(existing);
  ids.forEach((id, i) => known.set(id, { id, after: afters[i]! }));
  return batch.tasks.map((item, i) => {
    const { ref: _ref, plan, ...rest } = item;
    const spec: LaunchSpec = { ...rest, after: afters[i]!, env: batch.env, origin: batch.origin };
    let record: TaskRecord;
    try {
      record = recordFromLaunch(spec, catalog, config, known, tasksDir, ids[i]);
    } catch (err) {
      if (err instanceof RequestError) throw refused(item, i, err.message);
      throw err;
    }
    known.set(record.id, record); // a later task of the batch may start from its worktree's branch
    if (!plan) return record;
    const refs = Object.fromEntries(Object.entries(plan.refs).map(([name, targets]) => [name, targets.map((t) => resolve(item, i, t))]));
    return { ...record, plan: { ...plan, refs } };
  });
}

function refused(item: BatchItem, i: number, why: string): RequestError {
  const name = item.plan?.node ?? item.ref;
  return new RequestError('bad-request', `task ${i + 1} of the batch${name ? ` (${name})` : ''}: ${why}; nothing was queued`);
}

/** Refuses a batch whose tasks wait for each other in a circle (depth-first, iterative). */
function checkAcyclic(items: BatchItem[], ids: string[], afters: string[][]): void {
  const index = new Map(ids.map((id, i) => [id, i]));
  const state = new Uint8Array(ids.length); // 0 new, 1 on the path, 2 done
  for (let root = 0; root < ids.length; root++) {
    if (state[root]) continue;
    const stack: Array<[node: number, next: number]> = [[root, 0]];
    state[root] = 1;
    while (stack.length) {
      const top = stack.at(-1)!;
      const deps = afters[top[0]]!;
      if (top[1] >= deps.length) {
        state[top[0]] = 2;
        stack.pop();
        continue;
      }
      const dep = index.get(deps[top[1]++]!);
      if (dep === undefined || state[dep] === 2) continue;
      if (state[dep] === 1) {
        const cycle = [...stack.slice(stack.findIndex(([n]) => n === dep)).map(([n]) => n), dep];
        throw refused(items[dep]!, dep, `the tasks wait for each other in a circle: ${cycle.map((n) => items[n]!.plan?.node ?? items[n]!.ref ?? `task ${n + 1}`).join(' → ')}`);
      }
      state[dep] = 1;
      stack.push([dep, 0]);
    }
  }
}
