/** Where the pane shows the run: streamed model text, one line per tool call, a closing summary. */
export interface TranscriptSink {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

const codes = { dim: '2', red: '31', green: '32', cyan: '36', yellow: '33' } as const;

export class Transcript {
  private readonly colour: boolean;
  // Whether the cursor is at the start of a line, so tool lines never glue onto streamed text.
  private atLineStart = true;

  constructor(
    private readonly out: TranscriptSink,
    env: NodeJS.ProcessEnv,
  ) {
    this.colour = out.isTTY === true && env.NO_COLOR === undefined;
  }

  private paint(code: keyof typeof codes, text: string): string {
    return this.colour ? `\x1b[${codes[code]}m${text}\x1b[0m` : text;
  }

  private line(text: string): void {
    if (!this.atLineStart) this.out.write('\n');
    this.out.write(`${text}\n`);
    this.atLineStart = true;
  }

  text(delta: string): void {
    if (delta === '') return;
    this.out.write(delta);
    this.atLineStart = delta.endsWith('\n');
  }

  endOfMessage(): void {
    if (!this.atLineStart) this.out.write('\n');
    this.atLineStart = true;
  }

  header(model: string, cwd: string): void {
    this.line(this.paint('dim', `panecrew agent · ${model} · ${cwd}`));
  }

  toolCall(description: string): void {
    this.line(this.paint('cyan', `→ ${description}`));
  }

  toolFailed(message: string): void {
    this.line(this.paint('yellow', `  ✗ ${message.split('\n')[0] ?? ''}`));
  }

  notice(message: string): void {
    this.line(this.paint('yellow', message));
  }

  summary(ok: boolean, message: string): void {
    this.line(this.paint(ok ? 'green' : 'red', `${ok ? '✓' : '✗'} ${message}`));
  }
}
