// What a plan file may say (README "Plans"). Names are short so that `after:` and templates can use
// them; a fanned-out task's items become `name[0]`, `name[1]`... in the plan.
import { z } from 'zod';
import { DurationSchema } from '../core/duration-schema.js';
import { REQUESTED_PLACEMENTS, RUN_MODES } from '../core/task.js';

export const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;
const Name = z.string().regex(NAME, 'a task name starts with a letter and has only letters, digits, _ and - (at most 63)');

/** What a task and the defaults share. */
const Common = {
  agent: z.string().min(1).max(64).optional(),
  category: z.string().min(1).max(64).optional(),
  model: z.string().min(1).max(200).optional(),
  key: z.string().min(1).max(200).optional(),
  class: z.string().min(1).max(200).optional(),
  /** Relative to the plan file's folder. */
  cwd: z.string().min(1).optional(),
  priority: z.number().int().min(1).max(10).optional(),
  placement: z.enum(REQUESTED_PLACEMENTS).optional(),
  mode: z.enum(RUN_MODES).optional(),
  timeout: DurationSchema.optional(),
};

export const PlanTaskSchema = z
  .object({
    ...Common,
    prompt: z.string().min(1, 'the prompt is empty').optional(),
    /** Relative to the plan file's folder. */
    prompt_file: z.string().min(1).optional(),
    title: z.string().min(1).max(200).optional(),
    after: z.array(Name).max(100).default([]),
    /** Fan-out: one task per item, `{{ item }}` in its prompt and title. */
    over: z.array(z.union([z.string(), z.number()]).transform(String)).max(1000).optional(),
  })
  .strict()
  .refine((t) => (t.prompt === undefined) !== (t.prompt_file === undefined), { message: 'give the task a prompt or a prompt_file (one of the two)' });
export type PlanTask = z.infer<typeof PlanTaskSchema>;

export const PlanFileSchema = z
  .object({
    name: z.string().min(1).max(200).regex(/^[^\n\0]*$/, 'a plan name is one line'),
    /** `{{ vars.NAME }}` in prompts and titles; `plan run --set NAME=VALUE` overrides. */
    vars: z.record(Name, z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
    defaults: z.object(Common).strict().default({}),
    tasks: z.record(Name, PlanTaskSchema).refine((t) => Object.keys(t).length > 0, 'a plan needs at least one task'),
  })
  .strict();
export type PlanFile = z.infer<typeof PlanFileSchema>;
