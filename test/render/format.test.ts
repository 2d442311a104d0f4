import { describe, expect, test } from 'vitest';
import { share, table } from '../../src/render/format.js';
import { displayWidth } from '../../src/render/width.js';
import { task } from '../dashboard/fixtures.js';

describe('the ls table', () => {
  test('gives DETAIL what it needs in 120 columns, cutting a long title rather than the detail to 10', () => {
    const why = 'waiting for bg_aaaaaaaa to complete (slot 2/2 on anthropic)';
    const tasks = [
      task({ title: 'Refactor the authentication module and its tests', key: 'anthropic/claude-sonnet-4-5', agent: 'claude-code', state: 'pending', startedAt: null, waiting: why }),
      task({ title: 'Review the scheduler', key: 'anthropic/claude-sonnet-4-5', agent: 'claude-code', usage: { inputTokens: 12_000, outputTokens: 345, costUsd: 0.123 } }),
    ];
    const out = table(tasks, false, 120);
    expect(out).toContain(why);
    expect(out).toContain('Refactor the');
    for (const line of out.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(120);
  });

  test('a column nobody has a value for takes no room', () => {
    expect(table([task()], false).split('\n')[0]).not.toContain('TOKENS');
  });
});

describe('share', () => {
  test('each gets what it needs when all fit', () => {
    expect(share([20, 30], 80)).toEqual([20, 30]);
  });

  test('the smaller need is met first, the larger takes the rest', () => {
    expect(share([20, 90], 60)).toEqual([20, 40]);
  });

  test('both over an equal share split the room', () => {
    expect(share([90, 90], 60)).toEqual([30, 30]);
  });

  test('never below the minimum', () => {
    expect(share([90, 90], 10)).toEqual([12, 12]);
  });
});
