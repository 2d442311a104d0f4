// A YAML syntax error as one sentence a person can act on, at the line that needs the change. The
// parser's own words ("Nested mappings are not allowed in compact mappings") name its grammar, and
// for an indentation mistake it points at the line before the one that is wrong.
import type { LineCounter, YAMLError } from 'yaml';

interface Where {
  line: number;
  col: number;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;

/** `file:line:col: what is wrong and what to do` for the first error of a document. */
export function explainYamlError(file: string, text: string, error: YAMLError, lines: LineCounter): string {
  const at = lines.linePos(error.pos[0]);
  const source = text.split('\n');
  const lineText = (n: number) => source[n - 1] ?? '';
  const say = (where: Where, what: string) => `${file}:${where.line}:${where.col}: ${what}`;
  switch (error.code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY': {
      // Either `a: b: c` on one line, or a line indented deeper under a key that already has a value.
      const next = source.findIndex((l, i) => i >= at.line && l.trim() !== '' && !l.trimStart().startsWith('#'));
      if (next >= 0 && indentOf(source[next]!) > indentOf(lineText(at.line))) {
        const key = lineText(at.line).trim().split(':')[0];
        return say(
          { line: next + 1, col: indentOf(source[next]!) + 1 },
          `this line is indented deeper than "${key}:" on line ${at.line}, which already has a value; indent it ${indentOf(lineText(at.line))} spaces to make it a sibling, or move "${key}"'s value onto indented lines of its own`,
        );
      }
      return say(at, 'a second "key:" on the same line; put each key on its own line, or quote the value if the colon is part of it');
    }
    case 'BAD_INDENT':
      if (/flow/i.test(error.message)) return say(at, 'a [ or { is not closed; close it on the same line, or indent its continuation lines deeper than the key');
      return say(at, 'this line is not lined up with the keys of its mapping; indent it exactly as the keys above it');
    case 'TAB_AS_INDENT':
      return say(at, 'a tab indents this line; YAML indents with spaces only');
    case 'DUPLICATE_KEY':
      return say(at, 'this key is already set earlier in the same mapping; keep one of the two');
    default:
      return say(at, `invalid YAML: ${error.message.split('\n')[0]}`);
  }
}
