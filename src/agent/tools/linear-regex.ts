// Regular expressions from the model run on RE2 (re2js), whose matching time is linear in the text:
// V8's backtracking engine takes exponential time on patterns such as (a+)+$ and would block the
// agent's event loop for minutes. The price is RE2's syntax, as in ripgrep: no backreferences or
// lookaround.
import { RE2JS } from 're2js';

export interface LinearRegex {
  test(text: string): boolean;
}

/** Compiles `pattern` for linear-time matching; throws with RE2's reason and what it does not support. */
export function compileLinear(pattern: string, opts: { ignoreCase?: boolean } = {}): LinearRegex {
  try {
    return RE2JS.compile(pattern, opts.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (err) {
    throw new Error(
      `invalid regular expression ${pattern}: ${(err as Error).message} (RE2 syntax, as in ripgrep: no backreferences or lookaround)`,
    );
  }
}
