// Submitting a plan, shared by `panecrew plan` and the MCP server: read, expand, send as one batch
// (all or nothing), and find a plan's tasks again by its id.
import { join } from 'node:path';
import type { ControllerClient } from '../controller/client.js';

/** What submitting needs of a connection: the CLI's client or the MCP server's link. */
type Requester = Pick<ControllerClient, 'request'>;
import type { LaunchSpec } from '../controller/protocol.js';
import { newPlanId } from '../core/ids.js';
import { panecrewHome } from '../core/paths.js';
import type { ListedTask } from '../core/task.js';
import { expandPlan } from './expand.js';
import { PlanError, type Located } from './load.js';
import { retryBatch } from './retry.js';

export interface SubmitOptions {
  located: Located;
  /** The plan file, or where an inline plan's relative paths start (a file name in that folder). */
  file: string;
  set: Record<string, string>;
  env: Record<string, string>;
  origin: LaunchSpec['origin'];
  /** config defaults.agent, for tasks that name no agent or category. */
  agent?: string;
}

export interface Submitted {
  id: string;
  name: string;
  artifacts: string;
  tasks: ListedTask[];
}

/** The plan's folder of artifacts: beside the controller's state, one per plan. */
export function artifactsDir(env: NodeJS.ProcessEnv, planId: string): string {
  return join(panecrewHome(env), 'plans', planId);
}

export async function submitPlan(client: Requester, opts: SubmitOptions): Promise<Submitted> {
  const id = newPlanId();
  const artifacts = artifactsDir(opts.env, id);
  const items = expandPlan(opts.located, { file: opts.file, planId: id, artifacts, set: opts.set, agent: opts.agent });
  const tasks = await client.request({ op: 'launch-batch', tasks: items, env: opts.env, origin: opts.origin });
  return { id, name: opts.located.plan.name, artifacts, tasks };
}

/** Every task of the plan (each retry adds some), oldest first; a PlanError when there is none. */
export async function planTasks(client: Requester, planId: string): Promise<ListedTask[]> {
  const tasks = (await client.request({ op: 'list', all: true })).filter((t) => t.plan?.id === planId);
  if (!tasks.length) throw new PlanNotFound(`no plan ${planId}; list plans with: panecrew plan ls`);
  return tasks;
}

export class PlanNotFound extends PlanError {}

/** Re-runs what failed (and, given the file again, what changed); the new tasks, or none. */
export async function retryPlan(client: Requester, planId: string, opts: Omit<SubmitOptions, 'located'> & { located?: Located }): Promise<ListedTask[]> {
  const tasks = await planTasks(client, planId);
  const first = tasks[0]!.plan!;
  const fromFile = opts.located ? expandPlan(opts.located, { file: opts.file, planId, artifacts: first.artifacts, set: opts.set, agent: opts.agent }) : undefined;
  const items = retryBatch(tasks, fromFile);
  if (!items.length) return [];
  return client.request({ op: 'launch-batch', tasks: items, env: opts.env, origin: opts.origin });
}
