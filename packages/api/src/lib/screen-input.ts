// One rule for every string a client sends, applied before any schema sees the input. Zod strips
// unknown keys and accepts any code point, so without this a request could smuggle:
// - `__proto__` / `constructor` / `prototype` keys (prototype pollution in any code that merges
//   input into an object; a stripped key also makes a hostile request look like a valid one);
// - invisible or reordering characters (bidi overrides, zero-width space, Unicode tags) that spoof
//   names and emails in the admin console and hide text inside prompts ("ASCII smuggling");
// - NUL and other control characters, and lone surrogates, which have no UTF-8 encoding
//   (SQLite stores U+FFFD instead, PostgreSQL refuses NUL outright).
// ZWJ/ZWNJ (U+200C/D) stay allowed: emoji sequences and several scripts need them.

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 32;

// With the `u` flag a lone surrogate is its own code point, so \uD800-\uDFFF matches only those.
const HOSTILE_CHARACTERS = new RegExp(
  '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u200B\\u202A-\\u202E' +
    '\\u2060-\\u2064\\u2066-\\u2069\\uFEFF\\uD800-\\uDFFF\\u{E0000}-\\u{E007F}]',
  'u',
);

/** Field path → codes for everything hostile in `value`; null when it is clean. */
export function screenInput(value: unknown): Record<string, string[]> | null {
  // No prototype: the offending key itself (`__proto__`) becomes a field name here.
  const errors: Record<string, string[]> = Object.create(null);
  const flag = (path: string[], code: string) => {
    const key = path.length === 0 ? '_form' : path.join('.');
    errors[key] = [...(errors[key] ?? []), code];
  };
  const walk = (node: unknown, path: string[]): void => {
    if (typeof node === 'string') {
      if (HOSTILE_CHARACTERS.test(node)) flag(path, 'INVALID_CHARACTERS');
      return;
    }
    if (node === null || typeof node !== 'object') return;
    if (path.length >= MAX_DEPTH) {
      flag(path, 'TOO_DEEP');
      return;
    }
    for (const key of Object.keys(node)) {
      if (FORBIDDEN_KEYS.has(key) || HOSTILE_CHARACTERS.test(key))
        flag([...path, key], 'INVALID_KEY');
      else walk((node as Record<string, unknown>)[key], [...path, key]);
    }
  };
  walk(value, []);
  return Object.keys(errors).length > 0 ? errors : null;
}
