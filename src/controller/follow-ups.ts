// What a person (or a main agent) does with an interactive agent after its start: a follow-up typed
// into it (`send`), reopening a closed one in its conversation (`resume`), closing one (`close`).
import type { SendOutcome } from '../attempt/conversation.js';
import { isFinal, viewOf, type TaskRecord } from '../core/task.js';
import type { Engine } from './engine.js';
import { RequestError } from './protocol.js';
import type { TaskStore } from './store.js';

export interface FollowUpDeps {
  engine: Engine;
  store: TaskStore;
}

function must(store: TaskStore, id: string): TaskRecord {
  const task = store.get(id);
  if (!task) throw new RequestError('not-found', `no task ${id}`);
  return task;
}

/** Types a follow-up into an interactive agent; says whether the agent confirmed it took it. */
export async function send({ engine, store }: FollowUpDeps, id: string, text: string): Promise<{ task: TaskRecord; outcome: SendOutcome }> {
  const task = must(store, id);
  const attempt = engine.attemptOf(id);
  if (task.state === 'waiting') throw new RequestError('conflict', `${id} is waiting for the person to answer a question in its pane: answer it there first (panecrew focus ${id})`);
  if (!attempt || !(viewOf(task).agentOpen || task.state === 'running') || !task.attempts.at(-1)?.interactive) {
    const why = isFinal(task.state)
      ? `it ended ${task.state} and its agent is not open (${task.state === 'completed' ? `panecrew resume ${id} TEXT reopens it` : `panecrew relaunch ${id} runs it again`})`
      : task.state === 'pending'
        ? 'it has not started yet'
        : 'it does not run interactively (launch it with --mode interactive, in a pane)';
    throw new RequestError('conflict', `cannot send to ${id}: ${why}`);
  }
  const outcome = await attempt.send(text);
  return { task: store.must(id), outcome };
}

/** Reopens a closed interactive agent in its own conversation with `text` as its next prompt: a new
 *  attempt of the completed task, started now (the person asked for it, as with `send`). */
export function resume({ engine, store }: FollowUpDeps, id: string, text: string): TaskRecord {
  const task = must(store, id);
  if (viewOf(task).agentOpen) throw new RequestError('conflict', `${id}'s agent is still open: give it the text with panecrew send ${id}`);
  if (task.state !== 'completed') throw new RequestError('conflict', `cannot resume ${id}: it is ${task.state}${isFinal(task.state) ? ` (panecrew relaunch ${id} runs it again)` : ''}`);
  const sessionId = [...task.attempts].reverse().find((a) => a.interactive && a.sessionId)?.sessionId;
  if (!sessionId) throw new RequestError('conflict', `cannot resume ${id}: its agent never ran interactively, so there is no session to reopen (panecrew relaunch ${id})`);
  if (!engine.profileOf(task.agent)?.interactive?.resume) throw new RequestError('conflict', `cannot resume ${id}: the ${task.agent} profile has no interactive.resume arguments`);
  return engine.start(task, { sessionId, text });
}

/** Closes an interactive agent open after its turn; an agent still at work is cancelled. */
export function close({ engine, store }: FollowUpDeps, id: string): TaskRecord {
  const task = must(store, id);
  if (viewOf(task).agentOpen) engine.attemptOf(id)?.stop({ kind: 'closed', by: 'closed by request' });
  else if (!isFinal(task.state)) engine.cancel([id], 'closed by request');
  return store.must(id);
}
