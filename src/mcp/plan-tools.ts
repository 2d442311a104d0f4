// The MCP tools `plan` (hand a whole workflow over in one call) and `plan_status` (collect it).
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../config/load.js';
import { captureEnv, originFromEnv } from '../controller/launch-env.js';
import { PlanIdSchema } from '../core/task.js';
import { parsePlan } from '../plan/load.js';
import { planTasks, submitPlan } from '../plan/submit.js';
import { latestByNode, renderPlan, viewOfPlan } from '../plan/view.js';
import type { ToolContext } from './tools.js';

export const PlanInput = {
  plan: z.string().min(1).max(1_000_000).describe('The plan as YAML (or JSON): name, optional vars and defaults (agent, category, model, cwd, priority, timeout...), and tasks: a map from a short name to {prompt, after: [names], over: [items] for a fan-out, ...}. A prompt may use {{ tasks.NAME.result }} for the result of a task it waits for, {{ item }} in a fan-out, {{ vars.NAME }}. Format: the panecrew README, "Plans".'),
  set: z.record(z.string(), z.string()).optional().describe('Values for the plan\'s vars.'),
  cwd: z.string().min(1).optional().describe("Where the plan's relative paths (cwd, prompt_file) start; default this server's directory."),
};

export const PlanStatusInput = {
  plan_id: PlanIdSchema.describe('The id `plan` returned (pl_…).'),
  block: z.boolean().optional().describe('true: wait until every task of the plan has ended (or timeout passes).'),
  timeout: z.number().int().min(0).max(3_600_000).optional().describe('How long block waits, in ms (default 600000).'),
};

type Args<S extends Record<string, z.ZodType>> = { [K in keyof S]: z.output<S[K]> };

export const PLAN_DESCRIPTIONS = {
  plan: `Submit a whole workflow as one plan: every task at once (all or nothing), ordered by after:, fanned out with over:, results flowing forward with {{ tasks.NAME.result }}. A mistake in the plan is refused with its line and column and nothing starts. Returns the plan id at once; collect it with plan_status(plan_id, block: true). Every task also writes its result to the plan's artifacts folder ($PANECREW_PLAN_DIR), where tasks can share files.`,
  plan_status: "A plan's phases, each task's state, time and result summary, and its artifacts folder; with block: true it waits for the plan to end.",
} as const;

export async function planTool(args: Args<typeof PlanInput>, ctx: ToolContext): Promise<string> {
  const base = resolve(ctx.cwd, args.cwd ?? '.');
  const located = parsePlan('plan', args.plan);
  const { config } = loadConfig({ cwd: base, env: ctx.env });
  const submitted = await submitPlan(ctx.link, { located, file: join(base, 'plan.yaml'), set: args.set ?? {}, env: captureEnv(ctx.env), origin: originFromEnv(ctx.env), agent: config.defaults.agent });
  return [
    `plan ${submitted.id} (${submitted.name}) submitted: ${submitted.tasks.length} task(s)`,
    ...submitted.tasks.map((t) => `  ${t.plan!.node}: ${t.id}`),
    `artifacts: ${submitted.artifacts}`,
    `collect it with plan_status(plan_id: "${submitted.id}", block: true)`,
  ].join('\n');
}

export async function planStatusTool(args: Args<typeof PlanStatusInput>, ctx: ToolContext, signal?: AbortSignal): Promise<string> {
  let tasks = await planTasks(ctx.link, args.plan_id);
  if (args.block) {
    const deadline = Date.now() + (args.timeout ?? 600_000);
    for (const t of latestByNode(tasks).values()) {
      const outcome = await ctx.link.waitFinal(t.id, Math.max(0, deadline - Date.now()), signal);
      if (!outcome.ended) break;
    }
    tasks = await planTasks(ctx.link, args.plan_id);
  }
  return renderPlan(viewOfPlan(tasks), false);
}
