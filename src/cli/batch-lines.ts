// `launch --batch`: JSON lines of task specs, each checked here so that a mistake names its line.
// A line may be what `launch --json` printed: the fields a launch takes are used (requestedPlacement
// as placement), the ones only a running task has (state, attempts, pid...) are ignored.
import { resolve } from 'node:path';
import { BatchItemSchema, formatZodError, MAX_BATCH_TASKS, type BatchItem } from '../controller/protocol.js';
import { UsageError } from './command.js';

const TAKEN = new Set(Object.keys(BatchItemSchema.shape));
/** null means "none" for these (no timeout); for the others it means "not set". */
const NULLABLE = new Set(['timeoutMs', 'staleTimeoutMs']);

export interface BatchDefaults {
  cwd: string;
  agent?: string;
  priority: number;
  placement: BatchItem['placement'];
}

/** The batch's tasks, or a UsageError naming the first bad line. */
export function parseBatchLines(text: string, source: string, defaults: BatchDefaults): BatchItem[] {
  const items: BatchItem[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${source}:${i + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (err) {
      throw new UsageError(`${where}: not JSON (${(err as Error).message}); give one task spec per line`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`${where}: expected a JSON object (a task spec) on the line`);
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (k === 'requestedPlacement') fields.placement ??= v;
      else if (TAKEN.has(k) && (v !== null || NULLABLE.has(k))) fields[k] = v;
    }
    if (!('prompt' in raw)) throw new UsageError(`${where}: no prompt; every line needs "prompt"`);
    if (typeof fields.cwd === 'string') fields.cwd = resolve(defaults.cwd, fields.cwd);
    fields.cwd ??= defaults.cwd;
    if (fields.agent === undefined && fields.category === undefined && fields.subagentType === undefined) fields.agent = defaults.agent;
    fields.priority ??= defaults.priority;
    fields.placement ??= defaults.placement;
    const parsed = BatchItemSchema.safeParse(fields);
    if (!parsed.success) throw new UsageError(`${where}: ${formatZodError(parsed.error)}`);
    items.push(parsed.data);
  });
  if (!items.length) throw new UsageError(`${source}: no task specs (one JSON object per line)`);
  if (items.length > MAX_BATCH_TASKS) throw new UsageError(`${source}: ${items.length} tasks; a batch takes at most ${MAX_BATCH_TASKS}`);
  return items;
}
