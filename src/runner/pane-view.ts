// What a print-mode task's pane shows instead of its agent's JSON stream: the assistant's text, one
// line per tool step, the result, then tokens and cost. It draws the `Shown` items any format's parser
// hands out (parsers/types.ts), so a new format needs no code here. Everything the agent wrote is
// made inert (plainLines / toCells clean it) before it reaches the terminal; the colours are ours.
import { plainLines, wrap } from '../render/lines.js';
import { toCells } from '../render/width.js';
import type { ParseState, Shown } from './parsers/index.js';

export interface PaneViewOptions {
  /** The pane's width now, in cells (it may change between calls: a resized pane). */
  width: () => number;
  colour: boolean;
  write: (text: string) => void;
}

const COLOURS = { dim: '2', red: '31', green: '32', cyan: '36', yellow: '33' } as const;
type Colour = keyof typeof COLOURS;

export class PaneView {
  /** The last text block shown, so that a result repeating it is not shown twice. */
  private lastText = '';
  private lastKind: Shown['kind'] | undefined;

  constructor(private readonly opts: PaneViewOptions) {}

  show(item: Shown): void {
    switch (item.kind) {
      case 'text':
        if (this.lastKind !== undefined && this.lastKind !== 'text') this.emit(['']);
        this.emit(this.wrapped(item.text));
        this.lastText = item.text.trim();
        break;
      case 'step':
        this.emit([this.cut(`● ${item.step}`)], 'cyan');
        break;
      case 'tool-error':
        this.emit([this.cut(`  ✗ ${item.message.trim().split('\n')[0] ?? ''}`)], 'yellow');
        break;
      case 'note':
        this.emit(this.wrapped(item.text), 'dim');
        break;
      case 'error':
        this.emit(this.wrapped(`✗ ${item.message}`), 'red');
        break;
      case 'result': {
        const text = item.text.trim();
        this.emit(['']);
        if (item.isError) this.emit(this.wrapped(`✗ ${text || 'the agent reported an error'}`), 'red');
        else if (text === '' || text === this.lastText) this.emit(['✓ done'], 'green');
        else {
          this.emit(['✓ result:'], 'green');
          this.emit(this.wrapped(text));
        }
        break;
      }
    }
    this.lastKind = item.kind;
  }

  /** The stream ended: what the run cost, when the agent said. */
  end(state: Readonly<ParseState>): void {
    const parts: string[] = [];
    if (state.toolCalls) parts.push(`${state.toolCalls} tool call${state.toolCalls === 1 ? '' : 's'}`);
    if (state.inputTokens || state.outputTokens) parts.push(`tokens ${count(state.inputTokens)} in, ${count(state.outputTokens)} out`);
    if (state.costUsd !== undefined) parts.push(`$${state.costUsd.toFixed(4)}`);
    if (parts.length) this.emit([this.cut(parts.join(' · '))], 'dim');
  }

  private width(): number {
    return Math.max(10, this.opts.width());
  }

  /** Agent text as rows: escapes removed, controls inert, each line wrapped to the pane. */
  private wrapped(text: string): string[] {
    return plainLines(text.endsWith('\n') ? text : `${text}\n`).flatMap((l) => wrap(l, this.width()));
  }

  /** One row, cut to the pane with an ellipsis. */
  private cut(text: string): string {
    return toCells(text, this.width()).join('').trimEnd();
  }

  private emit(rows: string[], colour?: Colour): void {
    const paint = (r: string): string => (colour && this.opts.colour && r !== '' ? `\u001b[${COLOURS[colour]}m${r}\u001b[0m` : r);
    this.opts.write(rows.map((r) => `${paint(r)}\n`).join(''));
  }
}

function count(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}
