// Signal adapters: for each source of an interactive agent's state, how one task's agent is wired to
// append its signals to <task>/signals.jsonl, and how a line of that file reads as an AgentSignal.
import { AgentSignalSchema, type AgentSignal } from '../../core/signal.js';
import type { SIGNAL_SOURCES } from '../profile-schema.js';
import { claudeSignals } from './claude.js';
import { codexSignals } from './codex.js';
import { geminiSignals } from './gemini.js';
import { opencodeSignals } from './opencode.js';

/** What a task's start gains so that the agent's hooks write to its signals file. */
export interface SignalWiring {
  argv: string[];
  env: Record<string, string>;
  /** Files written into the task folder (path in it → content) before the agent starts. */
  files: Record<string, string>;
  /** Symlinks made in the task folder (path in it → what it points to). */
  links?: Record<string, string>;
}

export interface SignalAdapter {
  /** `env`: the task's environment (where the agent's own config is found). */
  wire(taskDir: string, signalsFile: string, env?: Record<string, string | undefined>): SignalWiring;
  /** One line of the signals file, or null when it is not a signal this adapter knows. */
  read(line: string): AgentSignal | null;
}

/** A line as JSON, or undefined when it is not (a torn or foreign line is skipped, never thrown). */
export function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** The agent writes AgentSignal lines itself (custom agents, tests): the file is read as it is. */
const panecrew: SignalAdapter = {
  wire: (_dir, signalsFile) => ({ argv: [], env: { PANECREW_SIGNALS_FILE: signalsFile }, files: {} }),
  read: (line) => {
    const parsed = AgentSignalSchema.safeParse(parseJsonLine(line));
    return parsed.success ? parsed.data : null;
  },
};

const ADAPTERS: Record<(typeof SIGNAL_SOURCES)[number], SignalAdapter> = { claude: claudeSignals, codex: codexSignals, gemini: geminiSignals, opencode: opencodeSignals, panecrew };

export function signalAdapter(source: (typeof SIGNAL_SOURCES)[number]): SignalAdapter {
  return ADAPTERS[source];
}
