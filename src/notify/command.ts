// A user-configured program per notified task: argv template, no shell, bounded run time.
import type { Task } from '../core/task.js';
import type { Channel, Notification } from './notification.js';
import { PLACEHOLDER_RE, type CommandPlaceholder } from './options.js';
import { durationOf, firstLine, summaryOf } from './message.js';

export interface CommandChannelOptions {
  argv: string[];
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

export type PlaceholderValues = Record<CommandPlaceholder, string>;

export function placeholdersForTask(task: Task): PlaceholderValues {
  return {
    id: task.id,
    title: task.title,
    agent: task.agent,
    state: task.state,
    duration: durationOf(task) ?? '',
    summary: summaryOf(task) ?? '',
    reason: task.reason ?? '',
  };
}

/** For a notification about no task (a test, an "all done" notice alone). */
export function placeholdersForNotification(n: Notification): PlaceholderValues {
  return { id: '', title: n.title, agent: '', state: '', duration: '', summary: firstLine(n.body) ?? '', reason: '' };
}

/** Substitutes inside each element; a value never splits into more arguments or gets re-expanded. */
export function expandArgv(template: string[], values: PlaceholderValues): string[] {
  return template.map((arg) =>
    arg.replace(PLACEHOLDER_RE, (whole, name: string) => (name in values ? values[name as CommandPlaceholder] : whole)),
  );
}

export function createCommandChannel(options: CommandChannelOptions): Channel {
  async function run(values: PlaceholderValues): Promise<void> {
    const [file, ...args] = expandArgv(options.argv, values);
    if (!file) throw new Error('notification.command.argv is empty');
    // execa on first use: an idle controller never needs it (docs/benchmarks.md, footprint).
    const { execa } = await import('execa');
    const result = await execa(file, args, {
      env: options.env,
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'pipe',
      maxBuffer: 64 * 1024,
      timeout: options.timeoutMs,
      forceKillAfterDelay: 1000,
      reject: false,
    });
    if (result.failed) {
      const why = result.timedOut
        ? `was killed after ${options.timeoutMs}ms (notification.command.timeout_ms)`
        : result.code === 'ENOENT'
          ? 'was not found; check notification.command.argv[0]'
          : `exited with ${result.exitCode ?? result.signal}${result.stderr ? `: ${firstLine(String(result.stderr)) ?? ''}` : ''}`;
      throw new Error(`notification command ${file} ${why}`);
    }
  }

  return {
    name: 'command',
    // Runs happen side by side, so one notification takes about one timeout at most.
    timeoutMs: options.timeoutMs + 2000,
    async send(n) {
      const runs = n.tasks.length > 0 ? n.tasks.map(placeholdersForTask) : [placeholdersForNotification(n)];
      const results = await Promise.allSettled(runs.map(run));
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length > 0) throw failed[0]!.reason;
    },
  };
}
