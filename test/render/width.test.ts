import { describe, expect, test } from 'vitest';
import { plainLines, tailRows, wrap } from '../../src/dashboard/text.js';
import { charWidth, clean, displayWidth, fit, toCells } from '../../src/render/width.js';

describe('displayWidth', () => {
  test('ASCII takes one cell per character', () => {
    expect(displayWidth('panecrew 42')).toBe(11);
  });

  test('East Asian wide characters take two cells', () => {
    expect(displayWidth('世界')).toBe(4);
    expect(displayWidth('한국어')).toBe(6);
    expect(displayWidth('ｶﾀｶﾅ')).toBe(4); // halfwidth katakana stay narrow
    expect(displayWidth('ＡＢ')).toBe(4); // fullwidth Latin
  });

  test('emoji with emoji presentation take two cells, text-style symbols one', () => {
    expect(displayWidth('🎉')).toBe(2);
    expect(displayWidth('🧪')).toBe(2);
    expect(displayWidth('🫠')).toBe(2);
    expect(displayWidth('⏳')).toBe(2);
    expect(displayWidth('✓●⚠…')).toBe(4);
  });

  test('combining marks and format characters take no cell', () => {
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('a\u200db')).toBe(2);
    expect(charWidth(0x0301)).toBe(0);
  });

  test('a flag is two narrow regional indicators, as tmux measures it', () => {
    expect(displayWidth('🇯🇵')).toBe(2);
  });
});

describe('clean', () => {
  test('splits emoji sequences into their parts so every terminal agrees on the width', () => {
    expect(clean('👨‍👩‍👧')).toBe('👨👩👧');
    expect(displayWidth(clean('👨‍👩‍👧'))).toBe(6);
    expect(clean('👍🏽')).toBe('👍');
    expect(clean('❤️')).toBe('❤');
  });

  test('turns line breaks and tabs into spaces and shows other controls inert', () => {
    expect(clean('a\tb\nc\u001b[31md')).toBe('a b c␛[31md');
  });
});

describe('toCells and fit', () => {
  test('pad to exactly the width', () => {
    expect(fit('ab', 5)).toBe('ab   ');
    expect(fit('ab', 5, 'right')).toBe('   ab');
    expect(displayWidth(fit('世界', 7))).toBe(7);
  });

  test('cut with an ellipsis and never split a wide character', () => {
    expect(fit('abcdef', 4)).toBe('abc…');
    // 世界🎉 is 6 cells; in 4 there is room for 世 + … + one pad cell, not half of 界.
    const cut = fit('世界🎉', 4);
    expect(displayWidth(cut)).toBe(4);
    expect(cut).toBe('世… ');
    expect(fit('🎉🎉', 3)).toBe('🎉…');
  });

  test('a wide character leaves an empty string in the cell it covers', () => {
    expect(toCells('世a', 4)).toEqual(['世', '', 'a', ' ']);
  });

  test('combining marks stay with their letter', () => {
    expect(toCells('e\u0301x', 2)).toEqual(['é', 'x']); // NFC composes it
    expect(toCells('q\u0301x', 2)).toEqual(['q\u0301', 'x']);
  });
});

describe('output as plain lines', () => {
  test('escape sequences go, and a carriage-return redraw keeps what was drawn last', () => {
    expect(plainLines('\u001b[1;32mok\u001b[0m\n10%\r50%\r100%\n\u001b]0;title\u0007done\n')).toEqual(['ok', '100%', 'done']);
  });

  test('long lines wrap by display width, and the tail is the last rows', () => {
    expect(wrap('世界世界', 5)).toEqual(['世界', '世界']);
    expect(tailRows(['a', 'bbbbbb', 'c'], 3, 3)).toEqual(['bbb', 'bbb', 'c']);
  });
});
