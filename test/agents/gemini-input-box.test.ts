// Gemini CLI 0.61's input box read off its screen: screens captured from the real TUI in a tmux pane
// (test/fixtures/gemini-0.61.0-screen-*.txt), after a turn with an approved shell command.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INPUT_BOXES } from '../../src/tmux/input-boxes.js';

const screen = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', `gemini-0.61.0-screen-${name}.txt`), 'utf8');

describe('the gemini input box', () => {
  it('is empty under its placeholder, and reads what the person half-typed, not the prompts in the history', () => {
    expect(screen('empty')).toContain('> Run the check, please.');
    expect(INPUT_BOXES.gemini(screen('empty'))).toBe('');
    expect(INPUT_BOXES.gemini(screen('half-typed'))).toBe('half typed');
  });
  it('is null while the approval dialog covers it', () => {
    expect(INPUT_BOXES.gemini(screen('dialog'))).toBeNull();
  });
});
