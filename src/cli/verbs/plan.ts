import { resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { captureEnv, originFromEnv } from '../../controller/launch-env.js';
import type { ControllerClient } from '../../controller/client.js';
import { isFinal } from '../../core/task-state.js';
import { PlanError, readPlanFile } from '../../plan/load.js';
import { PlanNotFound, planTasks, retryPlan, submitPlan } from '../../plan/submit.js';
import { latestByNode, planLine, plansOf, renderPlan, viewOfPlan, type PlanView } from '../../plan/view.js';
import { watchPlan } from '../../plan/watch.js';
import { inert } from '../../render/inert.js';
import { defineVerb, EXIT, printJson, UsageError, withClient, type Context } from '../command.js';
import { durationOption } from '../duration-option.js';
import { SUMMARY } from '../summaries.js';

/** Clears the screen before each drawing of `show --watch` on a terminal. */
const CLEAR = '\u001b[H\u001b[2J';
const PLAN_ID = /^pl_[0-9a-z]{8}$/;

function parseSet(values: string[] | undefined): Record<string, string> {
  const set: Record<string, string> = {};
  for (const kv of values ?? []) {
    const eq = kv.indexOf('=');
    if (eq < 1) throw new UsageError(`--set ${kv}: expected NAME=VALUE`);
    set[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return set;
}

function planId(positionals: string[], action: string): string {
  const id = positionals[1];
  if (!id) throw new UsageError(`name the plan: panecrew plan ${action} ID (panecrew plan ls lists them)`);
  if (!PLAN_ID.test(id)) throw new UsageError(`${id}: a plan id looks like pl_ followed by 8 lowercase letters or digits`);
  return id;
}

/** Plan mistakes are usage errors (exit 2); an unknown plan is not found (exit 4). */
async function guarded(ctx: Context, fn: (c: ControllerClient) => Promise<number>): Promise<number> {
  try {
    return await withClient(ctx, fn);
  } catch (err) {
    if (err instanceof PlanNotFound) {
      ctx.err(`panecrew plan: ${err.message}`);
      return EXIT.notFound;
    }
    if (err instanceof PlanError) throw new UsageError(err.message);
    throw err;
  }
}

function submitContext(ctx: Context, set: string[] | undefined) {
  const { config, warnings } = loadConfig({ cwd: ctx.cwd, env: ctx.env });
  for (const w of warnings) ctx.err(`panecrew plan: warning: ${inert(w)}`);
  return { set: parseSet(set), env: captureEnv(ctx.env), origin: originFromEnv(ctx.env), agent: config.defaults.agent };
}

export default defineVerb({
  name: 'plan',
  summary: SUMMARY.plan,
  usage: 'plan run FILE [--set NAME=VALUE]... | show ID [--watch] | ls | wait ID [--timeout DUR] | cancel ID | retry ID [FILE]',
  help: `
Actions:
  run FILE       check the plan file, submit all its tasks at once (all or nothing) and print the
                 plan id and its tasks; nothing runs when the file has a mistake (file:line:col)
  show ID        the plan's phases, each task's state, time, dependencies and result
  ls             every plan: state, tasks done, phases
  wait ID        wait until every task of the plan has ended
  cancel ID      cancel the plan's pending and running tasks
  retry ID [FILE]  run again what failed or was cancelled or interrupted, and what waits on it;
                 completed results are kept. With FILE (edited), changed tasks run again too.
Options:
  --set NAME=VALUE   give a plan variable ({{ vars.NAME }}) a value (repeatable; run and retry)
  --watch            show: draw again on every change until the plan ends (exit codes as wait;
                     130 on Ctrl-C, which stops the watching, not the plan); with --json, one
                     JSON line per change
  --timeout DUR      wait: give up after DUR (30s, 5m; a bare number is seconds)
  --json             print JSON
The format is in the README ("Plans"). Exit codes: 0 ok (wait, show --watch: every task
completed), 1 wait, show --watch: a task ended otherwise, 2 bad arguments or plan file, 3 controller unreachable or refused, 4 no such
plan, 124 wait timed out, 130 show --watch interrupted.`,
  options: { set: { type: 'string', multiple: true }, watch: { type: 'boolean' }, timeout: { type: 'string' }, json: { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const json = Boolean(values.json);
    const action = positionals[0];
    switch (action) {
      case 'run': {
        if (positionals.length !== 2) throw new UsageError('give one plan file: panecrew plan run FILE');
        const file = resolve(ctx.cwd, positionals[1]!);
        let located;
        try {
          located = readPlanFile(file);
        } catch (err) {
          if (err instanceof PlanError) throw new UsageError(err.message);
          throw err;
        }
        const opts = submitContext(ctx, values.set as string[] | undefined);
        return guarded(ctx, async (c) => {
          const plan = await submitPlan(c, { located, file, ...opts });
          if (json) printJson(ctx, plan);
          else {
            ctx.out(plan.id);
            for (const t of plan.tasks) ctx.out(`  ${t.id}  ${inert(t.plan!.node)}`);
          }
          return EXIT.ok;
        });
      }
      case 'show':
        return guarded(ctx, async (c) => {
          const id = planId(positionals, 'show');
          const print = (view: PlanView, clear: boolean) => (json ? ctx.out(JSON.stringify(view)) : ctx.out(`${clear ? CLEAR : ''}${renderPlan(view, ctx.color)}`));
          if (!values.watch) {
            const view = viewOfPlan(await planTasks(c, id));
            if (json) printJson(ctx, view);
            else print(view, false);
            return EXIT.ok;
          }
          // Ctrl-C ends the watch, not the plan: the last drawing stays on the screen.
          const stop = new AbortController();
          const onInt = (): void => stop.abort();
          process.once('SIGINT', onInt);
          try {
            const view = await watchPlan(c, id, (v) => print(v, ctx.color), stop.signal);
            if (stop.signal.aborted) return EXIT.interrupted;
            return view.state === 'completed' ? EXIT.ok : EXIT.failed;
          } finally {
            process.off('SIGINT', onInt);
          }
        });
      case 'ls':
        return guarded(ctx, async (c) => {
          const plans = plansOf(await c.request({ op: 'list', all: true }));
          if (json) printJson(ctx, plans.map(({ phases: _p, ...p }) => ({ ...p, tasks: _p.flat().length })));
          else for (const p of plans) ctx.out(planLine(p));
          return EXIT.ok;
        });
      case 'wait': {
        const timeoutMs = typeof values.timeout === 'string' ? durationOption('--timeout', values.timeout) : null;
        return guarded(ctx, async (c) => {
          const id = planId(positionals, 'wait');
          const ids = [...latestByNode(await planTasks(c, id)).values()].map((t) => t.id);
          const { ended } = await c.waitUntilEnded(ids, { timeoutMs });
          const view = viewOfPlan(await planTasks(c, id));
          if (json) printJson(ctx, view);
          else ctx.out(renderPlan(view, ctx.color));
          if (!ended) return EXIT.timeout;
          return view.state === 'completed' ? EXIT.ok : EXIT.failed;
        });
      }
      case 'cancel':
        return guarded(ctx, async (c) => {
          const id = planId(positionals, 'cancel');
          const ids = (await planTasks(c, id)).filter((t) => !isFinal(t.state)).map((t) => t.id);
          const cancelled = ids.length ? await c.request({ op: 'cancel', taskIds: ids }) : [];
          if (json) printJson(ctx, cancelled);
          else ctx.out(`${id}: ${cancelled.length} task(s) cancelled`);
          return EXIT.ok;
        });
      case 'retry': {
        const file = positionals[2] === undefined ? undefined : resolve(ctx.cwd, positionals[2]);
        const opts = submitContext(ctx, values.set as string[] | undefined);
        return guarded(ctx, async (c) => {
          const id = planId(positionals, 'retry');
          const located = file ? readPlanFile(file) : undefined;
          const tasks = await retryPlan(c, id, { located, file: file ?? resolve(ctx.cwd, 'plan.yaml'), ...opts });
          if (json) printJson(ctx, tasks);
          else if (!tasks.length) ctx.out(`${id}: nothing to run again (every task completed)`);
          else for (const t of tasks) ctx.out(`  ${t.id}  ${inert(t.plan!.node)}`);
          return EXIT.ok;
        });
      }
      default:
        throw new UsageError(`${action === undefined ? 'no action' : `unknown action ${action}`}: use plan run, show, ls, wait, cancel or retry`);
    }
  },
});
