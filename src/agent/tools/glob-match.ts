import { compileLinear, type LinearRegex } from './linear-regex.js';

/**
 * A small glob matcher for posix-style relative paths: `**` (any number of folders), `*` and `?`
 * (within one path segment), `{a,b}` alternatives and `[...]` classes. Enough for the patterns
 * models write (`src/**\/*.ts`, `*.{json,yaml}`). The expression runs on RE2: a backtracking engine
 * takes exponential time on a pattern with many stars.
 */
function globToRegex(pattern: string): string {
  let re = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const atSegmentStart = i === 0 || pattern[i - 1] === '/';
        i++;
        if (atSegmentStart && pattern[i + 1] === '/') {
          i++;
          re += '(?:[^/]*/)*'; // `**/` matches zero or more folders
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) {
      re += '|';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) {
        re += '\\[';
      } else {
        let cls = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
        re += `[${cls}]`;
        i = end;
      }
    } else {
      re += c.replace(/[.+^$()|\\\]}]/g, '\\$&');
    }
  }
  return `^${re}$`;
}

/** Matches a relative posix path. A pattern without `/` matches the file name at any depth when `basenameOnly`. */
export function makeMatcher(pattern: string, opts: { basenameOnly?: boolean } = {}): (relPath: string) => boolean {
  const cleaned = pattern.replace(/^\.\//, '');
  let re: LinearRegex;
  try {
    re = compileLinear(globToRegex(cleaned));
  } catch {
    throw new Error(`invalid glob pattern ${pattern}: check its [...] classes and {a,b} alternatives`);
  }
  if (opts.basenameOnly && !cleaned.includes('/')) {
    return (rel) => re.test(rel.slice(rel.lastIndexOf('/') + 1));
  }
  return (rel) => re.test(rel);
}
