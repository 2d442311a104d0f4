import { formatDuration } from '../../core/duration.js';
import type { ListedTask, OutputChunk } from '../../controller/protocol.js';
import { ClientError } from '../../controller/client.js';
import { defineVerb, EXIT, printJson, UsageError, withClient } from '../command.js';
import { SUMMARY } from '../summaries.js';

/** How a followed task ended, for stderr: the output itself may end anywhere, even mid-line. */
function closingLine(t: ListedTask): string {
  const parts = [`${t.id} ${t.state}`];
  if (t.exitCode !== null) parts.push(`exit code ${t.exitCode}${t.signal ? ` (${t.signal})` : ''}`);
  if (t.startedAt !== null && t.endedAt !== null) parts.push(`ran ${formatDuration(t.endedAt - t.startedAt)}`);
  if (t.endedAt !== null) parts.push(`ended ${new Date(t.endedAt).toISOString()}`);
  if (t.reason && t.state !== 'completed') parts.push(t.reason);
  return `panecrew output: ${parts.join(' · ')}`;
}

export default defineVerb({
  name: 'output',
  summary: SUMMARY.output,
  usage: 'output ID [--follow] [--json]',
  help: `
Options:
  --follow, -f   stream new output as it is written, until the task ends; then say on stderr how
                 it ended (state, exit code, how long it ran, when)
  --json         print {task, output, result} as JSON (not with --follow)
Output over background_task.outputLogMaxBytes keeps its head and its tail, with one line between
them: [panecrew: N bytes of output dropped here; …]. Following it, you may have seen part of
what that line counts.
Exit codes: 0 printed (with --follow: the task completed), 1 with --follow: the task ended
otherwise (error, cancelled, interrupt), 4 no such task.`,
  options: { follow: { type: 'boolean', short: 'f' }, json: { type: 'boolean' } },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    if (positionals.length !== 1) throw new UsageError('give exactly one task id');
    if (values.follow && values.json) throw new UsageError('--follow and --json do not go together');
    const taskId = positionals[0]!;
    return withClient(ctx, async (c) => {
      const read = async (offset: number): Promise<OutputChunk> => {
        let chunk = await c.request({ op: 'output', taskId, offset });
        let text = chunk.text;
        while (chunk.text && !chunk.final) {
          const next = await c.request({ op: 'output', taskId, offset: chunk.offset });
          if (!next.text) break;
          text += next.text;
          chunk = next;
        }
        return { ...chunk, text };
      };
      if (values.json) {
        const [chunk, res] = await Promise.all([read(0), c.request({ op: 'result', taskId })]);
        printJson(ctx, { task: res.task, output: chunk.text, result: res.result });
        return EXIT.ok;
      }
      if (!values.follow) {
        process.stdout.write((await read(0)).text);
        return EXIT.ok;
      }
      // Follow: every "output" or "task" event for this task triggers one more read from where we are.
      let offset = 0;
      let busy: Promise<void> | null = null;
      let again = false;
      return new Promise<number>((resolve, reject) => {
        const pump = (): void => {
          if (busy) {
            again = true;
            return;
          }
          busy = (async () => {
            do {
              again = false;
              const chunk = await read(offset);
              offset = chunk.offset;
              if (chunk.text) process.stdout.write(chunk.text);
              if (chunk.final) {
                const task = await c.request({ op: 'get', taskId });
                ctx.err(closingLine(task));
                return resolve(task.state === 'completed' ? EXIT.ok : EXIT.failed);
              }
            } while (again);
          })()
            .catch(reject)
            .finally(() => (busy = null));
        };
        c.onClose(() => reject(new ClientError('unavailable', 'the controller went away; the task keeps running: panecrew output ID -f again')));
        void c
          .subscribe((e) => {
            if ((e.event === 'output' && e.taskId === taskId) || (e.event === 'task' && e.task.id === taskId)) pump();
          })
          .then(pump, reject);
      });
    });
  },
});
