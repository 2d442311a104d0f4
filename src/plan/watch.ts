// `plan show --watch`: the plan drawn again on every change of one of its tasks, from the
// controller's event stream (nothing is polled), until the plan ends or the watcher stops.
import { ClientError, type ControllerClient } from '../controller/client.js';
import { isFinal, type ListedTask, type TaskState } from '../core/task.js';
import { planTasks } from './submit.js';
import { viewOfPlan, type PlanView } from './view.js';

/** An event and the list reply read around the same moment are merged by keeping the later stage. */
const stage = (s: TaskState): number => (s === 'pending' ? 0 : isFinal(s) ? 2 : 1);

export const planEnded = (v: PlanView): boolean => v.state === 'completed' || v.state === 'failed';

/**
 * Calls `draw` with the plan now and after every change; resolves with the last view once the plan
 * has ended, or when `signal` aborts. Subscribes before listing, so no change falls between the two.
 */
export async function watchPlan(c: ControllerClient, id: string, draw: (v: PlanView) => void, signal: AbortSignal): Promise<PlanView> {
  const tasks = new Map<string, ListedTask>();
  const keep = (t: ListedTask): void => {
    const known = tasks.get(t.id);
    if (!known || stage(t.state) >= stage(known.state)) tasks.set(t.id, t);
  };
  let listed = false;
  let settle: (outcome: PlanView | Error) => void = () => {};
  const redraw = (): void => {
    const view = viewOfPlan([...tasks.values()]);
    draw(view);
    if (planEnded(view)) settle(view);
  };
  await c.subscribe((e) => {
    if (e.event !== 'task' || e.task.plan?.id !== id) return;
    keep(e.task);
    if (listed) redraw();
  });
  for (const t of await planTasks(c, id)) keep(t);
  return new Promise<PlanView>((resolve, reject) => {
    const onAbort = (): void => settle(viewOfPlan([...tasks.values()]));
    settle = (outcome) => {
      settle = () => {};
      signal.removeEventListener('abort', onAbort);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    c.onClose((reason) => settle(reason.code === 'unavailable' ? new ClientError('unavailable', 'the controller went away while watching; the plan keeps its state (panecrew plan show ID)') : reason));
    signal.addEventListener('abort', onAbort, { once: true });
    listed = true;
    redraw();
  });
}
