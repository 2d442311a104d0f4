import { describe, expect, test } from 'vitest';
import { inert } from '../../src/render/inert.js';
import { PAYLOADS, RAW } from './payloads.js';

describe('inert', () => {
  test('every payload comes out with no raw control, escape, C1 or bidi character', () => {
    for (const p of PAYLOADS) for (const raw of RAW) expect(inert(p).includes(raw), JSON.stringify(p)).toBe(false);
  });

  test('each unsafe character has a visible stand-in', () => {
    expect(inert('\u001b[2J\u0007\u007f')).toBe('␛[2J␇␡');
    expect(inert('\u009b2J \u202eabc \u2066x\u2069 \u061c')).toBe('<U+009B>2J <U+202E>abc <U+2066>x<U+2069> <U+061C>');
  });

  test('one line unless multiline: newlines and tabs are kept only when asked', () => {
    expect(inert('a\nb\tc\rd')).toBe('a␊b␉c␍d');
    expect(inert('a\nb\tc\rd', { multiline: true })).toBe('a\nb\tc␍d');
  });

  test('ordinary text, accents, CJK and emoji pass unchanged', () => {
    const text = 'Résumé 世界 🎉 👨‍👩‍👧 — ok';
    expect(inert(text)).toBe(text);
  });
});
