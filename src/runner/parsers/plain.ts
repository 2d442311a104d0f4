// Output with no structure (aider, gemini, codex, shell commands): the tail is the result, the last
// line is the step.
//
// Progress convention, for any task that wants a progress bar: a line of its own
//     PANECREW_PROGRESS <percent> [step text]
// e.g. `echo "PANECREW_PROGRESS 40 running migrations"` sets percent to 40 (clamped to 0–100,
// a trailing % is allowed) and, when text follows, the step. Such lines are not part of the result.
import { LineParser } from './base.js';
import { oneLine, stripAnsi } from './text.js';
import { STEP_MAX } from './tool-step.js';

export const PLAIN_RESULT_LINES = 40;
const PROGRESS_RE = /^PANECREW_PROGRESS\s+(\d{1,3}(?:\.\d+)?)%?(?:\s+(.*))?$/;

export class PlainParser extends LineParser {
  private readonly tail: string[] = [];

  protected handleLine(raw: string): void {
    // A carriage return redraws the line (progress bars): what remains visible is the text after it.
    const visible = raw.slice(raw.lastIndexOf('\r') + 1);
    const line = stripAnsi(visible).trimEnd();
    if (line.trim() === '') return;

    const progress = PROGRESS_RE.exec(line.trim());
    if (progress) {
      const percent = Math.min(100, Math.max(0, Number(progress[1])));
      const text = progress[2]?.trim();
      this.set(text ? { percent, step: oneLine(text, STEP_MAX) } : { percent });
      return;
    }

    this.tail.push(line);
    if (this.tail.length > PLAIN_RESULT_LINES) this.tail.shift();
    this.set({ step: oneLine(line, STEP_MAX), result: this.tail.join('\n') });
  }
}
