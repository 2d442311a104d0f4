// Keeps the selected task's output tail and result in step with the controller: read from where it
// left off on every `output` event for that task, re-read the result when the task ends.
import type { ListedTask } from '../controller/protocol.js';
import { isFinal } from '../core/task.js';
import { coalesced, type Feed } from './feed.js';
import type { Detail } from './state.js';

/** Characters of output kept for the selected task (the detail pane and the `o` view). */
export const OUTPUT_KEEP = 512 * 1024;
const CHUNK_BYTES = 1024 * 1024;


export class DetailLoader {
  private taskId: string | null = null;
  private generation = 0;
  private offset = 0;
  private text = '';
  private truncated = false;
  private result: string | null = null;
  private resultFor: string | null = null;

  private readonly pump = coalesced(async () => {
    const gen = this.generation;
    const id = this.taskId;
    if (!id || !this.feed.connected) return;
    let changed = false;
    for (;;) {
      // The first read of a selection takes only the tail; later ones follow from where it ended.
      const first = this.offset === 0 && !this.text;
      const chunk = await this.feed.request(
        first ? { op: 'output', taskId: id, tail: OUTPUT_KEEP } : { op: 'output', taskId: id, offset: this.offset, maxBytes: CHUNK_BYTES },
      );
      if (gen !== this.generation) return;
      if (first && chunk.from > 0) this.truncated = true;
      if (!chunk.text) break;
      this.offset = chunk.offset;
      this.text += chunk.text;
      changed = true;
      if (this.text.length > OUTPUT_KEEP) {
        // Cut at a line start so the first kept line is whole.
        const cut = this.text.indexOf('\n', this.text.length - OUTPUT_KEEP);
        this.text = this.text.slice(cut >= 0 ? cut + 1 : this.text.length - OUTPUT_KEEP);
        this.truncated = true;
      }
    }
    if (changed || gen !== this.publishedGeneration) this.publish(gen);
  }, (err) => this.feed.report(err));

  private readonly loadResult = coalesced(async () => {
    const gen = this.generation;
    const id = this.taskId;
    if (!id || !this.feed.connected) return;
    const res = await this.feed.request({ op: 'result', taskId: id });
    if (gen !== this.generation) return;
    this.result = res.result;
    this.resultFor = id;
    this.publish(gen);
  }, (err) => this.feed.report(err));

  private publishedGeneration = -1;

  constructor(
    private readonly feed: Feed,
    private readonly onDetail: (d: Detail) => void,
  ) {}

  /** Follows `task` (or nothing); reads everything again when the selection changes. */
  select(task: ListedTask | null): void {
    const id = task?.id ?? null;
    if (id === this.taskId) return;
    this.taskId = id;
    this.generation++;
    this.offset = 0;
    this.text = '';
    this.truncated = false;
    this.result = null;
    this.resultFor = null;
    if (!task) return;
    this.pump();
    if (isFinal(task.state)) this.loadResult();
  }

  /** After a reconnect: the same task, read again from the start. */
  reload(task: ListedTask | null): void {
    this.taskId = null;
    this.select(task);
  }

  outputChanged(taskId: string): void {
    if (taskId === this.taskId) this.pump();
  }

  taskChanged(task: ListedTask): void {
    if (task.id !== this.taskId) return;
    this.pump();
    if (isFinal(task.state) && this.resultFor !== task.id) this.loadResult();
  }

  private publish(gen: number): void {
    this.publishedGeneration = gen;
    this.onDetail({ taskId: this.taskId!, output: this.text, truncated: this.truncated, result: this.result });
  }
}
