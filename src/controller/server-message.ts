// What the controller sends, checked by the client before it acts on it: the envelope and the fields
// a client decides by (a task's id and state); the rest is the controller's word. Checked by hand,
// not with zod: every CLI call reads replies, and zod with its schemas is most of what a call would
// otherwise load (docs/benchmarks.md, CLI start-up).
import { TASK_STATES, type TaskState } from '../core/task-state.js';
import type { ListedTask } from '../core/task.js';

export const ERROR_CODES = ['bad-request', 'not-found', 'conflict', 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ServerEvent = { event: 'task'; task: ListedTask } | { event: 'removed'; ids: string[] } | { event: 'output'; taskId: string };
export type ServerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: { code: ErrorCode; message: string } };
/** A checked line from the controller (a task event's task is taken as the ListedTask it claims to be). */
export type ServerMessage = ServerReply | ServerEvent;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const oneOf = <T extends string>(values: readonly T[], v: unknown): v is T => typeof v === 'string' && (values as readonly string[]).includes(v);

/** The message, or what is wrong with it (`field: what was expected`). */
export function checkServerMessage(raw: unknown): ServerMessage | string {
  if (!isObject(raw)) return 'expected an object';
  if ('event' in raw) {
    switch (raw.event) {
      case 'task': {
        const { task } = raw;
        if (!isObject(task)) return 'task: expected an object';
        if (typeof task.id !== 'string') return 'task.id: expected a string';
        if (!oneOf<TaskState>(TASK_STATES, task.state)) return `task.state: expected one of ${TASK_STATES.join(', ')}`;
        return { event: 'task', task: task as unknown as ListedTask };
      }
      case 'removed':
        return Array.isArray(raw.ids) && raw.ids.every((id) => typeof id === 'string') ? { event: 'removed', ids: raw.ids as string[] } : 'ids: expected an array of strings';
      case 'output':
        return typeof raw.taskId === 'string' ? { event: 'output', taskId: raw.taskId } : 'taskId: expected a string';
      default:
        return 'event: expected task, removed or output';
    }
  }
  if (typeof raw.id !== 'number') return 'id: expected a number';
  if (raw.ok === true) return { id: raw.id, ok: true, result: raw.result };
  if (raw.ok !== false) return 'ok: expected true or false';
  const { error } = raw;
  if (!isObject(error)) return 'error: expected an object';
  if (!oneOf<ErrorCode>(ERROR_CODES, error.code)) return `error.code: expected one of ${ERROR_CODES.join(', ')}`;
  if (typeof error.message !== 'string') return 'error.message: expected a string';
  return { id: raw.id, ok: false, error: { code: error.code, message: error.message } };
}
