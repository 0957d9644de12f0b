/**
 * Go RE2 patterns from collector configs as JavaScript RegExps. The syntaxes agree for what
 * configs use, except Go's `(?P<name>…)` named groups, which become `(?<name>…)`. Throws a
 * `SyntaxError` for an invalid pattern, like `new RegExp`.
 */
export function goRegExp(source: string, flags = ''): RegExp {
  return new RegExp(source.replace(/\(\?P</g, '(?<'), flags);
}
