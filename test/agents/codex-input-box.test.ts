// Codex 0.171's input box read off its screen (captured from the real TUI in codex-live.test.ts).
import { describe, expect, it } from 'vitest';
import { INPUT_BOXES } from '../../src/tmux/input-boxes.js';

const screen = (box: string) => ['  >_ OpenAI Codex (v0.171.0)', '› Run the check, please.', '• First answer: live-step-ran', box, '  mock-model default · /tmp/p', '  ← for agents · ? for shortcuts'].join('\n');

describe('the codex input box', () => {
  it('is empty under its dimmed placeholder, and reads what the person half-typed', () => {
    expect(INPUT_BOXES.codex(screen('› Ask Codex to do anything'))).toBe('');
    expect(INPUT_BOXES.codex(screen('› fix the te'))).toBe('fix the te');
  });
  it('is null while no box shows', () => {
    expect(INPUT_BOXES.codex('  Would you like to run the following command?\n  Press enter to confirm')).toBeNull();
  });
});
