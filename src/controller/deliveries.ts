// Which task endings have been told to which main agent session, so that every path that tells
// one (the rewake waiter, the OpenCode plugin, the prompt hook) tells each ending once, across
// controller restarts. Its own append-only file beside the journal: one line per claim, on disk
// (fdatasync) before the claimer hears of it, so a claim answered is never repeated and one not
// answered was never written.
import { closeSync, existsSync, fdatasync, openSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { isFinal, TaskIdSchema, type TaskRecord } from '../core/task.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { writeWhole } from '../core/write-whole.js';

/** Past this many lines at start, the file is rewritten with only what still matters. */
const COMPACT_AT_LINES = 1_000;
/** The session of the compacted file's milestones line (milestones are per task, whoever heard them). */
const MILESTONES_SESSION = 'milestones';

/** A main agent's session id (Claude Code's and OpenCode's are uuids or `ses_…`). */
export const SessionIdSchema = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,127}$/, 'a session id is 1–128 letters, digits, or _ . : - (not starting with . : -)');

const LineSchema = z.object({
  session: SessionIdSchema,
  link: z.array(TaskIdSchema),
  claimed: z.array(TaskIdSchema),
  /** Progress milestones told (task id → percent), under the `milestone` strategy. */
  progress: z.record(TaskIdSchema, z.number().int().min(0).max(100)).optional(),
});
type Line = z.infer<typeof LineSchema>;

export interface ClaimRequest {
  session: string;
  /** The main agent's tmux pane (or `headless`): tasks launched from it belong to it unless linked elsewhere. */
  pane?: string;
  /** Tasks this session launched (over MCP): theirs whatever pane they came from. */
  link: string[];
  /** false: only record `link`. */
  take: boolean;
}

/** What a claim takes, from the notification strategy: endings (not under `silent` for a wake), and
 *  progress milestones every `milestoneStep` percent (under `milestone`), or none (null). */
export interface ClaimRules {
  endings: boolean;
  milestoneStep: number | null;
}

export interface Claimed {
  taken: TaskRecord[];
  /** Running tasks that reached a progress milestone not told yet, with it. */
  milestones: Array<{ task: TaskRecord; percent: number }>;
  /** How many of the session's tasks have not ended yet. */
  active: number;
}

export class Deliveries {
  /** task id → the session it belongs to (the first link wins). */
  private readonly owners = new Map<string, string>();
  /** task id → the session its ending was told to. */
  private readonly delivered = new Map<string, string>();
  /** task id → the highest progress milestone told. */
  private readonly milestones = new Map<string, number>();
  private readonly fd: number;

  /**
   * Reads the file back (a torn or bad line, from a crash mid-write, is skipped) and opens it for
   * appending. A long file is first compacted: `exists` says which tasks are still known (a pruned
   * task's claims matter no more).
   */
  constructor(
    private readonly file: string,
    exists: (id: string) => boolean = () => true,
  ) {
    let lines = 0;
    if (existsSync(file)) {
      for (const text of readFileSync(file, 'utf8').split('\n')) {
        if (!text) continue;
        lines += 1;
        let parsed;
        try {
          parsed = LineSchema.safeParse(JSON.parse(text));
        } catch {
          continue;
        }
        if (parsed.success) this.apply(parsed.data);
      }
    }
    try {
      if (lines > COMPACT_AT_LINES) this.compact(exists);
    } catch {
      // (a full disk) the long file is still right: compacted at a later start
    }
    this.fd = openSync(file, 'a', 0o600);
  }

  /** Rewrites the file (atomically) as one line per session, of the tasks that still exist. */
  private compact(exists: (id: string) => boolean): void {
    const bySession = new Map<string, Line>();
    const lineOf = (session: string) => bySession.get(session) ?? bySession.set(session, { session, link: [], claimed: [] }).get(session)!;
    for (const [id, session] of this.owners) if (exists(id)) lineOf(session).link.push(id);
    for (const [id, session] of this.delivered) if (exists(id)) lineOf(session).claimed.push(id);
    const milestones = [...this.milestones].filter(([id]) => exists(id));
    if (milestones.length) lineOf(MILESTONES_SESSION).progress = Object.fromEntries(milestones);
    writeFileAtomic(this.file, [...bySession.values()].map((l) => `${JSON.stringify(l)}\n`).join(''), 0o600);
  }

  private apply(line: Line): void {
    for (const id of line.link) if (!this.owners.has(id)) this.owners.set(id, line.session);
    for (const id of line.claimed) this.delivered.set(id, line.session);
    for (const [id, percent] of Object.entries(line.progress ?? {})) this.milestones.set(id, percent);
  }

  /** The milestone `task` has reached and not yet told (a multiple of `step` below 100), or null. */
  private milestone(task: TaskRecord, step: number): number | null {
    const percent = task.progress.percent;
    if (isFinal(task.state) || percent === undefined || !Number.isFinite(percent)) return null;
    const reached = Math.floor(Math.min(100, Math.max(0, percent)) / step) * step;
    // 100% is the ending's to tell.
    return reached > 0 && reached < 100 && reached > (this.milestones.get(task.id) ?? 0) ? reached : null;
  }

  isDelivered(task: TaskRecord): boolean {
    return this.delivered.has(task.id) || task.collectedAt !== null;
  }

  private belongs(task: TaskRecord, req: ClaimRequest): boolean {
    const owner = this.owners.get(task.id);
    if (owner !== undefined) return owner === req.session;
    return req.pane !== undefined && (task.origin.tmuxPane ?? 'headless') === req.pane;
  }

  /**
   * Links, then takes every ended task of this session not told yet (and, by `rules`, its progress
   * milestones), in one line that is on disk when this resolves. Throws (nothing taken) when it
   * cannot be written.
   */
  async claim(req: ClaimRequest, tasks: Iterable<TaskRecord>, exists: (id: string) => boolean, rules: ClaimRules = { endings: true, milestoneStep: null }): Promise<Claimed> {
    const link = req.link.filter((id) => exists(id) && !this.owners.has(id));
    // The links first: a task just linked may already have ended.
    for (const id of link) this.owners.set(id, req.session);
    const own = [...tasks].filter((t) => this.belongs(t, req));
    const taken = req.take && rules.endings ? own.filter((t) => isFinal(t.state) && !this.isDelivered(t)) : [];
    const milestones: Claimed['milestones'] = [];
    for (const task of req.take && rules.milestoneStep ? own : []) {
      const percent = this.milestone(task, rules.milestoneStep!);
      if (percent !== null) milestones.push({ task, percent });
    }
    const active = own.filter((t) => !isFinal(t.state)).length;
    if (!link.length && !taken.length && !milestones.length) return { taken, milestones, active };
    const line: Line = { session: req.session, link, claimed: taken.map((t) => t.id) };
    if (milestones.length) line.progress = Object.fromEntries(milestones.map((m) => [m.task.id, m.percent]));
    try {
      writeWhole(this.fd, `${JSON.stringify(line)}\n`);
    } catch (err) {
      for (const id of link) this.owners.delete(id);
      throw err;
    }
    this.apply(line);
    await new Promise<void>((resolve, reject) => fdatasync(this.fd, (err) => (err ? reject(err) : resolve())));
    return { taken, milestones, active };
  }

  close(): void {
    closeSync(this.fd);
  }
}
