// Parsing the command line: plain messages, "did you mean", durations in seconds unless a unit says otherwise.
import { describe, expect, test } from 'vitest';
import { argumentProblem, type Verb } from '../../src/cli/command.js';
import { durationOption } from '../../src/cli/duration-option.js';
import { parseDuration } from '../../src/core/duration.js';
import { startTestController } from '../support/controller.js';

const verb = {
  name: 'launch',
  summary: '',
  help: '',
  usage: '',
  options: { timeout: { type: 'string' }, json: { type: 'boolean' }, title: { type: 'string', short: 't' } },
  allowPositionals: true,
  run: async () => 0,
} as Verb;

describe('option errors', () => {
  test('an unknown option names the closest known one, with no stray quote', () => {
    const problem = argumentProblem(verb, ['--tiemout', '5', 'x'])!;
    expect(problem).toBe('unknown option --tiemout (did you mean --timeout?)');
    expect(problem.split('"').length % 2).toBe(1);
    expect(problem.split("'").length % 2).toBe(1);
  });

  test('a missing value, a value for a switch, an argument where none is taken', () => {
    expect(argumentProblem(verb, ['--timeout'])).toBe('--timeout needs a value');
    expect(argumentProblem(verb, ['--json=yes'])).toBe('--json takes no value');
    expect(argumentProblem({ ...verb, allowPositionals: false }, ['x'])).toBe('unexpected argument "x": launch takes only options');
    expect(argumentProblem(verb, ['-x'])).toBe('unknown option -x');
    expect(argumentProblem(verb, ['-t', 'a', '--timeout=5m', '--', '--not-an-option'])).toBeNull();
  });
});

describe('durations on the command line', () => {
  test('a bare number is seconds; units are read as written', () => {
    expect(['5', '1.5', '90s', '5m', '250ms', '2h'].map((v) => durationOption('--timeout', v))).toEqual([5000, 1500, 90_000, 300_000, 250, 7_200_000]);
  });

  test('a bad or zero value is refused with what to write instead', () => {
    for (const v of ['soon', '-5', '5 minutes', '0', '']) expect(() => durationOption('--timeout', v), v).toThrow(/expected a duration such as 90s/);
    expect(durationOption('--older-than', '0', { allowZero: true })).toBe(0);
  });

  test('in config files a bare number stays milliseconds', () => {
    expect(parseDuration(5)).toBe(5);
    expect(parseDuration('5')).toBe(5);
  });

  test('launch --timeout 5 ends the task after 5 seconds, not 5 ms', async () => {
    const tc = await startTestController();
    try {
      const t = await tc.launch(['--agent', 'shell', '--timeout', '5', 'sleep 1; echo survived']);
      expect(t.timeoutMs).toBe(5000);
      const ended = await tc.waitFinal(t.id, 30_000);
      expect(ended.state).toBe('completed');
    } finally {
      await tc.stop();
    }
  });
});
