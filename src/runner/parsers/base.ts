// Chunk → line splitting and change tracking shared by every parser.
import type { z } from 'zod';
import type { OutputParser, ParseState, ParserOptions, Shown } from './types.js';

export const DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;

/**
 * Turns arbitrary chunks into complete lines. A line longer than the cap is dropped whole (its head
 * was already too long to be valid JSON worth reading, and a plain-text tail of a megabyte helps
 * nobody), and reading resumes after its newline.
 */
class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';
  private discarding = false;

  constructor(private readonly maxLineLength: number) {}

  push(chunk: string | Uint8Array, onLine: (line: string) => void): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      const piece = text.slice(start, nl);
      start = nl + 1;
      if (this.discarding) {
        this.discarding = false;
        this.pending = '';
        continue;
      }
      const line = this.pending + piece;
      this.pending = '';
      if (line.length <= this.maxLineLength) onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
    if (this.discarding) return;
    this.pending += text.slice(start);
    if (this.pending.length > this.maxLineLength) {
      this.pending = '';
      this.discarding = true;
    }
  }

  finish(onLine: (line: string) => void): void {
    const rest = this.decoder.decode();
    if (rest) this.push(rest, onLine);
    const last = this.pending;
    this.pending = '';
    if (!this.discarding && last.length > 0) onLine(last.endsWith('\r') ? last.slice(0, -1) : last);
    this.discarding = false;
  }
}

/** A parser that reads complete lines; subclasses implement `handleLine` and change state via `set`. */
export abstract class LineParser implements OutputParser {
  protected readonly mutable: ParseState = { toolCalls: 0, inputTokens: 0, outputTokens: 0 };
  protected readonly cwdHint: string | undefined;
  private readonly onShow: ((shown: Shown) => void) | undefined;
  private readonly splitter: LineSplitter;
  private changed = false;
  private ended = false;

  constructor(options: ParserOptions = {}) {
    this.splitter = new LineSplitter(options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
    this.cwdHint = options.cwd;
    this.onShow = options.onShow;
  }

  get state(): Readonly<ParseState> {
    return this.mutable;
  }

  feed(chunk: string | Uint8Array): boolean {
    if (this.ended) return false;
    this.changed = false;
    this.splitter.push(chunk, (line) => this.safeHandle(line));
    return this.changed;
  }

  end(): boolean {
    if (this.ended) return false;
    this.changed = false;
    this.splitter.finish((line) => this.safeHandle(line));
    this.ended = true;
    this.onEnd();
    return this.changed;
  }

  protected abstract handleLine(line: string): void;

  protected onEnd(): void {}

  /** Hands what a person should see of this line to the pane renderer, when there is one. */
  protected show(shown: Shown): void {
    this.onShow?.(shown);
  }

  /** Sets fields, remembering whether anything actually changed. */
  protected set(patch: Partial<ParseState>): void {
    for (const key of Object.keys(patch) as (keyof ParseState)[]) {
      const value = patch[key];
      if (this.mutable[key] !== value) {
        (this.mutable as unknown as Record<string, unknown>)[key] = value;
        this.changed = true;
      }
    }
  }

  // A parser bug on one odd line must not take the runner down with it: the line is lost, the
  // stream goes on.
  private safeHandle(line: string): void {
    try {
      // A line that is not JSON (a warning on stderr) is the agent's too: shown as it is. Blank ones not.
      if (this.onShow && line.trim() !== '' && !looksLikeJsonObject(line)) this.show({ kind: 'note', text: line });
      this.handleLine(line);
    } catch {
      /* skipped: see above */
    }
  }
}

/** JSON.parse that returns undefined instead of throwing; only lines that look like objects are tried. */
export function parseJsonObject(line: string): unknown {
  if (!looksLikeJsonObject(line)) return undefined;
  try {
    return JSON.parse(line.trim()) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether a line has the shape of one JSON object (`{…}`); such a line is never shown raw. */
function looksLikeJsonObject(line: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith('{') && trimmed.endsWith('}');
}

/** One line as an event of `schema`, or undefined when it is not one (skipped, never thrown). */
export function readEvent<S extends z.ZodType>(schema: S, line: string): z.output<S> | undefined {
  const parsed = schema.safeParse(parseJsonObject(line));
  return parsed.success ? parsed.data : undefined;
}
