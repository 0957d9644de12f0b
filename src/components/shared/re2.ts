/**
 * Go RE2 (`regexp` package) patterns as JS RegExps, for every regular expression a collector
 * config holds: `string_attribute` values, OTTL `IsMatch` / `replace_pattern`, the attributes
 * processor's `pattern` and include/exclude `regexp` matching. Upstream compiles them with
 * `regexp.Compile` and tests with `MatchString`, an unanchored search. JS `RegExp` differs in
 * syntax and in a few meanings, so the pattern is translated rather than passed through:
 *
 * - leading flag groups `(?i)`, `(?s)`, `(?m)` (RE2's usual way to ignore case) become JS flags;
 *   a flag group anywhere else, `(?flags:…)` and the ungreedy flag `U` are rejected (Node 20
 *   has no inline modifiers);
 * - `(?P<name>…)` → `(?<name>…)`; `\A`/`\z` (text start/end), `\Q…\E` literals, `\x{…}`,
 *   octal escapes, `\pL` one-letter classes and `\p{Greek}` script names, `[[:alpha:]]` classes;
 * - meanings: RE2 `.` excludes only `\n` (JS also excludes `\r`, U+2028, U+2029), RE2 `\s` is
 *   `[\t\n\f\r ]` (JS adds `\v` and Unicode spaces), and under `(?m)` RE2's `^` / `$` match
 *   only at `\n` and the text's ends (JS multiline also at `\r`, U+2028, U+2029), so they become
 *   look-arounds instead of the JS `m` flag;
 * - RE2 takes a `{` that does not start a repeat, a lone `}` or `]` and any escaped ASCII
 *   punctuation (`\-`, `\@`, `\#`) literally, where JS's unicode mode throws;
 * - what RE2 rejects is rejected: look-around, backreferences, `\C`, `\Z`, repeats over 1000.
 */

export type Re2Translation = { ok: true; source: string; flags: string } | { ok: false; message: string };

const GO_SPACE = '\\t\\n\\f\\r ';
const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`\\{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};
/** Unicode general categories RE2 accepts by name; any other name is a script. */
const GENERAL_CATEGORIES = new Set([
  'C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs',
]);
const MAX_REPEAT = 1000;

class Re2SyntaxError extends Error {}

function hexEscape(codePoint: number): string {
  return `\\u{${codePoint.toString(16)}}`;
}

/** RE2: an escaped ASCII character that is not a letter or digit is always itself. */
function isAsciiPunct(c: string): boolean {
  return c.length === 1 && c.charCodeAt(0) < 0x80 && !/[0-9A-Za-z]/.test(c);
}

/** Translates one RE2 pattern; never throws. */
export function translateRe2(pattern: string): Re2Translation {
  try {
    return { ok: true, ...translate(pattern) };
  } catch (err) {
    if (err instanceof Re2SyntaxError) return { ok: false, message: err.message };
    throw err;
  }
}

/** The RegExp RE2 would match with (unanchored search via `test`); throws on an invalid pattern. */
export function compileRe2(pattern: string): RegExp {
  const t = translateRe2(pattern);
  if (!t.ok) throw new SyntaxError(t.message);
  return new RegExp(t.source, t.flags);
}

function translate(pattern: string): { source: string; flags: string } {
  const chars = Array.from(pattern); // code points, as RE2 reads UTF-8 runes
  const flags = new Set<string>();
  let i = 0;
  // leading flag groups: (?i) (?s) (?m) (?is) ...; '-' clears (no effect at the start)
  for (;;) {
    const m = /^\(\?([a-zA-Z-]*)\)/.exec(chars.slice(i).join(''));
    if (!m) break;
    let on = true;
    for (const f of m[1]!) {
      if (f === '-') on = false;
      else if (f === 'i' || f === 's' || f === 'm') {
        if (on) flags.add(f);
        else flags.delete(f);
      } else if (f === 'U') throw new Re2SyntaxError('the ungreedy flag (?U) is not supported');
      else throw new Re2SyntaxError(`invalid or unsupported Perl syntax: \`(?${m[1]}\``);
    }
    i += Array.from(m[0]).length;
  }
  const dotAll = flags.has('s');
  const multiLine = flags.delete('m');
  let out = '';
  while (i < chars.length) {
    const c = chars[i]!;
    if (c === '\\') {
      const r = escape(chars, i, false);
      out += r.text;
      i = r.next;
    } else if (c === '[') {
      const r = charClass(chars, i);
      out += r.text;
      i = r.next;
    } else if (c === '(') {
      const rest = chars.slice(i, i + 4).join('');
      if (rest.startsWith('(?P<')) {
        out += '(?<';
        i += 4;
      } else if (rest.startsWith('(?:')) {
        out += '(?:';
        i += 3;
      } else if (rest.startsWith('(?<') && !rest.startsWith('(?<=') && !rest.startsWith('(?<!')) {
        out += '(?<';
        i += 3;
      } else if (rest.startsWith('(?')) {
        throw new Re2SyntaxError(`invalid or unsupported Perl syntax: \`${rest.slice(0, 3)}\` (look-around and inline flags other than at the start are not supported by Go RE2 here)`);
      } else {
        out += '(';
        i++;
      }
    } else if (c === '.') {
      out += dotAll ? '[\\s\\S]' : '[^\\n]';
      i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(chars.slice(i, i + 16).join(''));
      if (m) {
        const lo = Number(m[1]);
        const hi = m[3] === undefined || m[3] === '' ? lo : Number(m[3]);
        if (lo > MAX_REPEAT || hi > MAX_REPEAT || (m[3] !== undefined && m[3] !== '' && hi < lo)) throw new Re2SyntaxError(`invalid repeat count: \`${m[0]}\``);
        out += m[0];
        i += m[0].length;
      } else {
        out += '\\{';
        i++;
      }
    } else if (c === '}' || c === ']') {
      out += `\\${c}`;
      i++;
    } else if (multiLine && (c === '^' || c === '$')) {
      out += c === '^' ? '(?:(?<![\\s\\S])|(?<=\\n))' : '(?:(?![\\s\\S])|(?=\\n))';
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return { source: out, flags: `u${[...flags].sort().join('')}` };
}

/** An escape at `chars[i] === '\\'`, outside (`inClass` false) or inside a bracket class. */
function escape(chars: string[], i: number, inClass: boolean): { text: string; next: number } {
  const c = chars[i + 1];
  if (c === undefined) throw new Re2SyntaxError('trailing backslash at end of expression');
  switch (c) {
    case 'd':
    case 'D':
    case 'w':
    case 'W':
    case 't':
    case 'n':
    case 'r':
    case 'f':
    case 'v':
      return { text: `\\${c}`, next: i + 2 };
    case 'b':
    case 'B':
      if (inClass) throw new Re2SyntaxError(`invalid escape sequence: \`\\${c}\``);
      return { text: `\\${c}`, next: i + 2 };
    case 'a':
      return { text: '\\x07', next: i + 2 };
    case 's':
      return { text: inClass ? GO_SPACE : `[${GO_SPACE}]`, next: i + 2 };
    case 'S':
      if (inClass) throw new Re2SyntaxError('`\\S` inside a character class is not supported here');
      return { text: `[^${GO_SPACE}]`, next: i + 2 };
    case 'A':
    case 'z':
      if (inClass) throw new Re2SyntaxError(`invalid escape sequence: \`\\${c}\``);
      return { text: c === 'A' ? '(?<![\\s\\S])' : '(?![\\s\\S])', next: i + 2 };
    case 'Q': {
      if (inClass) throw new Re2SyntaxError('`\\Q` inside a character class is not supported here');
      let j = i + 2;
      let text = '';
      while (j < chars.length && !(chars[j] === '\\' && chars[j + 1] === 'E')) {
        text += hexEscape(chars[j]!.codePointAt(0)!);
        j++;
      }
      return { text, next: j < chars.length ? j + 2 : j };
    }
    case 'x': {
      if (chars[i + 2] === '{') {
        const close = chars.indexOf('}', i + 3);
        const hex = close < 0 ? '' : chars.slice(i + 3, close).join('');
        if (!/^[0-9A-Fa-f]{1,6}$/.test(hex) || parseInt(hex, 16) > 0x10ffff) throw new Re2SyntaxError('invalid escape sequence: `\\x{`');
        return { text: hexEscape(parseInt(hex, 16)), next: close + 1 };
      }
      const hex = chars.slice(i + 2, i + 4).join('');
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new Re2SyntaxError('invalid escape sequence: `\\x`');
      return { text: `\\x${hex}`, next: i + 4 };
    }
    case 'p':
    case 'P': {
      let name: string;
      let next: number;
      if (chars[i + 2] === '{') {
        const close = chars.indexOf('}', i + 3);
        if (close < 0) throw new Re2SyntaxError(`invalid character class range: \`\\${c}{\``);
        name = chars.slice(i + 3, close).join('');
        next = close + 1;
      } else {
        name = chars[i + 2] ?? '';
        next = i + 3;
      }
      let negated = c === 'P';
      if (name.startsWith('^')) {
        negated = !negated;
        name = name.slice(1);
      }
      if (!/^[A-Za-z_]+$/.test(name)) throw new Re2SyntaxError(`invalid character class range: \`\\${c}${name}\``);
      if (name === 'Any') {
        if (inClass) return negated ? { text: '', next } : { text: '\\s\\S', next };
        return { text: negated ? '[^\\s\\S]' : '[\\s\\S]', next };
      }
      const property = GENERAL_CATEGORIES.has(name) ? name : `Script=${name}`;
      return { text: `\\${negated ? 'P' : 'p'}{${property}}`, next };
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      // RE2: \0 or a digit followed by more octal digits is an octal code (up to 3 digits);
      // a single non-zero digit would be a backreference, which RE2 does not support.
      let j = i + 1;
      let digits = '';
      while (j < chars.length && digits.length < 3 && /[0-7]/.test(chars[j]!)) digits += chars[j++]!;
      if (c !== '0' && digits.length === 1) throw new Re2SyntaxError(`invalid escape sequence: \`\\${c}\` (backreferences are not supported by Go RE2)`);
      return { text: hexEscape(parseInt(digits, 8)), next: j };
    }
    default:
      if (isAsciiPunct(c)) return { text: hexEscape(c.charCodeAt(0)), next: i + 2 };
      throw new Re2SyntaxError(`invalid escape sequence: \`\\${c}\``);
  }
}

/** A bracket class starting at `chars[i] === '['`. */
function charClass(chars: string[], i: number): { text: string; next: number } {
  let j = i + 1;
  let text = '[';
  if (chars[j] === '^') {
    text += '^';
    j++;
  }
  let first = true;
  for (;;) {
    const c = chars[j];
    if (c === undefined) throw new Re2SyntaxError(`missing closing ]: \`${chars.slice(i).join('')}\``);
    if (c === ']' && !first) break;
    first = false;
    if (c === '[' && chars[j + 1] === ':') {
      const close = chars.indexOf(']', j + 2);
      const inner = close < 0 ? '' : chars.slice(j + 2, close).join('');
      const m = /^(\^?)([a-z]+):$/.exec(inner);
      if (m) {
        const set = POSIX_CLASSES[m[2]!];
        if (set === undefined) throw new Re2SyntaxError(`invalid character class range: \`[:${m[1]}${m[2]}:]\``);
        if (m[1] === '^') throw new Re2SyntaxError('negated POSIX classes ([:^name:]) are not supported here');
        text += set;
        j = close + 1;
        continue;
      }
    }
    if (c === '\\') {
      const r = escape(chars, j, true);
      text += r.text;
      j = r.next;
      continue;
    }
    text += c === '[' || c === ']' || c === '/' ? `\\${c}` : c;
    j++;
  }
  return { text: `${text}]`, next: j + 1 };
}
