/**
 * Signature patterns run on every line of multi-gigabyte logs, so a pattern that can backtrack
 * catastrophically would hang the scanner. Patterns are restricted to a linear-time-safe subset:
 * no backreferences, no lookaround, and no quantified group that itself contains a quantifier
 * (the `(a+)+` family). Returns a message, or undefined when the pattern is acceptable.
 */
export function checkPattern(pattern: string, flags = ''): string | undefined {
  try {
    new RegExp(pattern, flags);
  } catch (e) {
    return `invalid regular expression: ${(e as Error).message}`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'backreferences are not allowed (they can take exponential time)';
  if (/\(\?<?[=!]/.test(pattern)) return 'lookahead/lookbehind is not allowed in signatures';
  // Find groups and whether they contain a quantifier, then whether the group itself is quantified.
  const stack: { hasQuant: boolean; hasAlt: boolean }[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '[') {
      // skip a character class
      i++;
      if (pattern[i] === '^') i++;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') {
        if (pattern[i] === '\\') i++;
        i++;
      }
      continue;
    }
    if (ch === '(') stack.push({ hasQuant: false, hasAlt: false });
    else if (ch === '|' && stack.length) stack[stack.length - 1].hasAlt = true;
    else if (ch === ')') {
      const g = stack.pop();
      const next = pattern[i + 1];
      const quantified = next === '*' || next === '+' || next === '{' || (next === '?' && false);
      if (g && quantified && (g.hasQuant || g.hasAlt)) {
        return 'nested quantifier: a repeated group contains a quantifier or alternation (can backtrack catastrophically); rewrite it without the outer repetition';
      }
      if (g && stack.length && (g.hasQuant || quantified)) stack[stack.length - 1].hasQuant = true;
    } else if ((ch === '*' || ch === '+' || ch === '{') && stack.length) stack[stack.length - 1].hasQuant = true;
  }
  return undefined;
}
