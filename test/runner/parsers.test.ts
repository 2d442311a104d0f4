import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createParser, describeToolCall, type OutputFormat, type OutputParser } from '../../src/runner/parsers/index.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

/** Feeds `data` in pieces of `size` bytes, the way a tail of a growing log file delivers it. */
function feedInPieces(parser: OutputParser, data: Buffer, size: number): void {
  for (let i = 0; i < data.length; i += size) parser.feed(data.subarray(i, i + size));
  parser.end();
}

function parseAll(format: OutputFormat, data: Buffer | string, cwd?: string): OutputParser {
  const parser = createParser(format, cwd ? { cwd } : {});
  parser.feed(typeof data === 'string' ? Buffer.from(data) : data);
  parser.end();
  return parser;
}

describe('line handling (all formats)', () => {
  it('joins a multi-byte character split across two chunks', () => {
    const bytes = Buffer.from('héllo wörld ✓\n');
    const p = createParser('plain');
    const cut = bytes.indexOf(Buffer.from('✓')) + 1; // inside the 3-byte check mark
    p.feed(bytes.subarray(0, cut));
    p.feed(bytes.subarray(cut));
    expect(p.state.step).toBe('héllo wörld ✓');
  });

  it('waits for the newline before handling a line, and handles a last line without one at end()', () => {
    const p = createParser('plain');
    expect(p.feed('first li')).toBe(false);
    expect(p.state.step).toBeUndefined();
    expect(p.feed('ne\nsecond')).toBe(true);
    expect(p.state.step).toBe('first line');
    expect(p.end()).toBe(true);
    expect(p.state.step).toBe('second');
  });

  it('gives the same state whatever the chunk size', () => {
    const data = fixture('claude-multi-block.jsonl');
    const whole = parseAll('claude-stream-json', data).state;
    for (const size of [1, 7, 64, 1000]) {
      const p = createParser('claude-stream-json');
      feedInPieces(p, data, size);
      expect(p.state).toEqual(whole);
    }
  });

  it('drops a line longer than the cap and reads on after it', () => {
    const p = createParser('panecrew-events', { maxLineLength: 100 });
    p.feed(`{"type":"step","at":1,"step":"${'x'.repeat(50)}`);
    p.feed(`${'y'.repeat(200)}","tool":"t"}\n`);
    expect(p.state.toolCalls).toBe(0);
    p.feed('{"type":"step","at":2,"step":"Read a.ts","tool":"read_file"}\n');
    expect(p.state).toMatchObject({ step: 'Read a.ts', toolCalls: 1 });
  });

  it('never throws on garbage, truncated JSON or wrong shapes', () => {
    const junk = [
      'not json at all',
      '{"type":"assistant","message":',
      '{"type":"result","is_error":"yes"}',
      '[1,2,3]',
      'null',
      '{"type":"tool_use","part":{"tool":42}}',
      '{"type":"step","step":null}',
      '\u0000\u0001\u0002',
      '{}',
      '{"type":"assistant","message":{"content":"not an array"}}',
    ].join('\n');
    for (const format of ['plain', 'claude-stream-json', 'opencode-json', 'panecrew-events'] as const) {
      const p = createParser(format);
      expect(() => {
        p.feed(junk);
        p.feed(Buffer.from([0xff, 0xfe, 0x0a]));
        p.end();
        p.end();
      }).not.toThrow();
      if (format !== 'plain') expect(p.state).toEqual({ toolCalls: 0, inputTokens: 0, outputTokens: 0 });
    }
  });

  it('reports no change when a line changes nothing', () => {
    const p = createParser('claude-stream-json');
    expect(p.feed('{"type":"user","message":{"content":[]}}\n')).toBe(false);
    expect(p.feed('garbage\n')).toBe(false);
  });
});

describe('claude-stream-json', () => {
  it('reads a real Claude Code 2.1 run: a Read tool call, the answer, the totals', () => {
    const s = parseAll('claude-stream-json', fixture('claude-read.jsonl')).state;
    expect(s).toMatchObject({
      step: 'Read notes.txt', // relative to the cwd announced in system/init
      toolCalls: 1,
      inputTokens: 200,
      outputTokens: 27,
      costUsd: 0.000335,
      result: 'The answer is 42.\nSecond line.',
      isError: false,
    });
  });

  it('takes is_error, not the subtype: a failed API call still says subtype success', () => {
    const s = parseAll('claude-stream-json', fixture('claude-api-error.jsonl')).state;
    expect(s.isError).toBe(true);
    expect(s.errorMessage).toBe('API Error: Unable to connect to API (ConnectionRefused)');
  });

  it('names steps the way a person would say them', () => {
    const p = createParser('claude-stream-json');
    const steps: string[] = [];
    for (const line of fixture('claude-multi-block.jsonl').toString().split('\n')) {
      if (p.feed(`${line}\n`) && p.state.step && steps.at(-1) !== p.state.step) steps.push(p.state.step);
    }
    // Glob and Read share one line: both count, the later one is the step.
    expect(steps).toEqual(["Grep 'jwt' in src", 'Read src/auth.ts', 'Bash npm test -- auth']);
    expect(p.state.toolCalls).toBe(4);
    expect(describeToolCall('Glob', { pattern: 'src/**/*.ts' }, undefined)).toBe('Glob src/**/*.ts');
    expect(describeToolCall('WebSearch', { query: 'zod looseObject' }, undefined)).toBe("WebSearch 'zod looseObject'");
  });

  it('counts usage once per message even though each content block repeats it', () => {
    const lines = fixture('claude-multi-block.jsonl').toString().split('\n');
    const p = createParser('claude-stream-json');
    p.feed(lines.slice(0, 5).join('\n') + '\n'); // through msg_01B, before the result
    // msg_01A: 12+1500 in, 48 out (its last line); msg_01B: 40+1500 in, 60 out
    expect(p.state).toMatchObject({ inputTokens: 3052, outputTokens: 108 });
  });

  it('lets the final result replace the running token sum', () => {
    const s = parseAll('claude-stream-json', fixture('claude-multi-block.jsonl')).state;
    expect(s).toMatchObject({ inputTokens: 6402, outputTokens: 151, costUsd: 0.0123, isError: false });
    expect(s.result).toBe('Tokens are verified in src/auth.ts with jsonwebtoken; the tests pass.');
  });

  it('shortens long paths outside the working directory to their tail', () => {
    const long = `/opt/${'very-long-directory-name/'.repeat(4)}deep/file.ts`;
    const line = JSON.stringify({ type: 'assistant', message: { id: 'm', content: [{ type: 'tool_use', name: 'Edit', input: { file_path: long } }] } });
    const s = parseAll('claude-stream-json', `${line}\n`, '/home/dev/project').state;
    expect(s.step).toMatch(/^Edit …\/.*deep\/file\.ts$/);
    expect(s.step!.length).toBeLessThanOrEqual(66);
  });

  it('falls back to the tool name for tools it has no wording for', () => {
    const line = JSON.stringify({ type: 'assistant', message: { content: [{ type: 'tool_use', name: 'mcp__panecrew__task', input: {} }] } });
    expect(parseAll('claude-stream-json', line).state.step).toBe('mcp__panecrew__task');
  });

  it('reports an error result without text by its errors or subtype', () => {
    const line = '{"type":"result","subtype":"error_max_turns","is_error":true,"num_turns":30}';
    expect(parseAll('claude-stream-json', line).state).toMatchObject({ isError: true, errorMessage: 'claude reported error_max_turns' });
  });
});

describe('opencode-json', () => {
  it('reads a real opencode 1.18 run with a read tool call', () => {
    const s = parseAll('opencode-json', fixture('opencode-read.jsonl'), '/home/dev/project').state;
    expect(s).toMatchObject({
      step: 'Read notes.txt',
      toolCalls: 1,
      inputTokens: 200, // two steps of 100: step_finish tokens are per step, so they add up
      outputTokens: 27,
      costUsd: 0,
      result: 'The answer is 42.\nSecond line.',
    });
    expect(s.isError).toBeUndefined();
  });

  it('names a bash call by its command', () => {
    expect(parseAll('opencode-json', fixture('opencode-bash.jsonl')).state.step).toBe('Bash echo hello && ls');
  });

  it('reads a real API error event', () => {
    const s = parseAll('opencode-json', fixture('opencode-error.jsonl')).state;
    expect(s.isError).toBe(true);
    expect(s.errorMessage).toMatch(/^Cannot connect to API/);
  });

  it('counts a tool call reported in several states once', () => {
    const ev = (status: string) => JSON.stringify({ type: 'tool_use', part: { tool: 'grep', callID: 'c1', state: { status, input: { pattern: 'jwt' } } } });
    const s = parseAll('opencode-json', [ev('pending'), ev('running'), ev('completed')].join('\n')).state;
    expect(s).toMatchObject({ toolCalls: 1, step: "Grep 'jwt'" });
  });

  it('keeps the text of the latest message as the result', () => {
    const text = (messageID: string, id: string, t: string) => JSON.stringify({ type: 'text', part: { id, messageID, type: 'text', text: t } });
    const s = parseAll('opencode-json', [text('m1', 'p1', 'Looking around.'), text('m2', 'p2', 'Part one.'), text('m2', 'p3', 'Part two.')].join('\n')).state;
    expect(s.result).toBe('Part one.\n\nPart two.');
  });

  it('adds cache and reasoning tokens and costs across steps', () => {
    const fin = (cost: number) =>
      JSON.stringify({ type: 'step_finish', part: { reason: 'stop', cost, tokens: { input: 10, output: 5, reasoning: 2, cache: { read: 100, write: 1 } } } });
    const s = parseAll('opencode-json', `${fin(0.01)}\n${fin(0.02)}\n`).state;
    expect(s).toMatchObject({ inputTokens: 222, outputTokens: 14 });
    expect(s.costUsd).toBeCloseTo(0.03);
  });
});

describe('panecrew-events', () => {
  it('reads steps, cumulative usage and the result', () => {
    const s = parseAll('panecrew-events', fixture('panecrew-events.jsonl')).state;
    expect(s).toEqual({
      step: "Grep 'verifyToken'",
      toolCalls: 2,
      inputTokens: 2600,
      outputTokens: 190,
      result: 'verifyToken lives in src/auth.ts:42.',
      isError: false,
    });
  });

  it('turns an error event into an error with its status', () => {
    const s = parseAll('panecrew-events', '{"type":"error","at":1,"message":"rate limited","retryable":true,"status":429}\n').state;
    expect(s).toMatchObject({ isError: true, errorMessage: 'rate limited (status 429, retryable)' });
  });

  it('does not count a step without a tool as a tool call', () => {
    const s = parseAll('panecrew-events', '{"type":"step","at":1,"step":"Thinking"}\n').state;
    expect(s).toMatchObject({ step: 'Thinking', toolCalls: 0 });
  });
});

describe('plain', () => {
  it('strips ANSI codes, honours carriage returns and keeps the tail as the result', () => {
    const s = parseAll('plain', fixture('plain-npm.txt')).state;
    expect(s.step).toBe('Tests: 12 passed');
    expect(s.result).toBe('npm test\n✓ auth verifies tokens (3 ms)\nProgress: 100%\nTests: 12 passed');
  });

  it('keeps only the last 40 non-empty lines', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i + 1}\n\n`).join('');
    const s = parseAll('plain', text).state;
    const lines = s.result!.split('\n');
    expect(lines).toHaveLength(40);
    expect(lines[0]).toBe('line 61');
    expect(lines.at(-1)).toBe('line 100');
  });

  it('cuts the step to 80 characters', () => {
    const s = parseAll('plain', `${'word '.repeat(40)}\n`).state;
    expect(s.step!.length).toBe(80);
    expect(s.step!.endsWith('…')).toBe(true);
  });

  it('reads PANECREW_PROGRESS lines as percent and step, not as output', () => {
    const p = createParser('plain');
    p.feed('building\nPANECREW_PROGRESS 40 running migrations\n');
    expect(p.state).toMatchObject({ percent: 40, step: 'running migrations', result: 'building' });
    p.feed('PANECREW_PROGRESS 150%\n');
    expect(p.state.percent).toBe(100);
    p.feed('echo PANECREW_PROGRESS 10\n'); // not at the start of the line: ordinary output
    expect(p.state.percent).toBe(100);
  });
});
