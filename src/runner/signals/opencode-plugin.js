// panecrew's OpenCode plugin, copied into a task's folder (src/runner/signals/opencode.ts) and named
// by that task's OPENCODE_CONFIG_CONTENT: it appends one JSON line per state change of the agent to
// signals.jsonl beside it, {"opencode": EVENT, "at": MS, ...}, read by the opencode signal adapter.
// Plain JavaScript with no imports but node's: OpenCode loads it as it is, offline.
// OpenCode may load a plugin twice: the state, and the one set of hooks, live on globalThis.
import { appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILE = join(dirname(fileURLToPath(import.meta.url)), 'signals.jsonl');
const state = (globalThis.__panecrewSignals ??= { loaded: false, sessions: new Set(), children: new Set(), calls: new Map(), texts: new Map(), lastReply: new Map(), usage: new Map() });

function put(event, fields = {}) {
  try {
    appendFileSync(FILE, `${JSON.stringify({ opencode: event, at: Date.now(), ...fields })}\n`);
  } catch {
    // A full disk must not break the agent: its state falls back to what the pane shows.
  }
}

/** The main session's first prompt names it (a resumed session is never `created` again). */
function seen(session) {
  if (state.sessions.has(session)) return;
  state.sessions.add(session);
  put('session', { session });
}

/** The reply's text: the text parts of the session's last assistant message, in order. */
function reply(session) {
  const message = state.lastReply.get(session);
  const parts = message ? state.texts.get(message) : undefined;
  return parts ? [...parts.values()].join('\n').trim() : undefined;
}

/** The session's totals so far, summed over its assistant messages. */
function totals(session) {
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd = 0;
  for (const u of state.usage.get(session)?.values() ?? []) {
    inputTokens += u.input;
    outputTokens += u.output;
    costUsd += u.cost;
  }
  return { inputTokens, outputTokens, costUsd };
}

function onEvent(event) {
  const p = event.properties ?? {};
  switch (event.type) {
    case 'session.created':
      // A subagent's session (the task tool) is not the conversation in the pane.
      if (p.info?.parentID) state.children.add(p.info.id);
      return;
    case 'message.updated': {
      const info = p.info;
      if (!info || info.role !== 'assistant' || state.children.has(info.sessionID)) return;
      state.lastReply.set(info.sessionID, info.id);
      const t = info.tokens ?? {};
      const usage = state.usage.get(info.sessionID) ?? new Map();
      usage.set(info.id, { input: (t.input ?? 0) + (t.cache?.read ?? 0) + (t.cache?.write ?? 0), output: (t.output ?? 0) + (t.reasoning ?? 0), cost: info.cost ?? 0 });
      state.usage.set(info.sessionID, usage);
      return;
    }
    case 'message.part.updated': {
      const part = p.part;
      if (part?.type !== 'text' || part.synthetic) return;
      const parts = state.texts.get(part.messageID) ?? new Map();
      parts.set(part.id, part.text ?? '');
      state.texts.set(part.messageID, parts);
      return;
    }
    // A subagent's question waits on the person too; its step's end answers it.
    case 'permission.asked':
    case 'permission.updated': {
      const call = state.calls.get(p.tool?.callID ?? p.callID);
      put('waiting', { session: p.sessionID, permission: p.permission ?? p.type, patterns: p.patterns ?? p.pattern, tool: call?.tool, args: call?.args });
      return;
    }
    case 'session.idle':
      if (state.children.has(p.sessionID) || !state.sessions.has(p.sessionID)) return;
      put('idle', { session: p.sessionID, result: reply(p.sessionID), ...totals(p.sessionID) });
      return;
  }
}

export const PanecrewSignals = async () => {
  if (state.loaded) return {};
  state.loaded = true;
  put('ready');
  return {
    event: async ({ event }) => onEvent(event),
    'chat.message': async (input) => {
      if (state.children.has(input.sessionID)) return;
      seen(input.sessionID);
      put('prompt', { session: input.sessionID });
    },
    'tool.execute.before': async (input, output) => {
      if (state.children.has(input.sessionID)) return;
      state.calls.set(input.callID, { tool: input.tool, args: output.args });
      put('step', { session: input.sessionID, tool: input.tool, args: output.args });
    },
    'tool.execute.after': async (input) => {
      const call = state.calls.get(input.callID);
      state.calls.delete(input.callID);
      put('step-done', { session: input.sessionID, tool: input.tool, args: call?.args ?? input.args });
    },
  };
};
