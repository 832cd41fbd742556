// Text pasted from web pages and documents often carries invisible characters (zero-width
// spaces, byte-order marks, bidi overrides, control characters). The server refuses them in every
// input (packages/api/src/lib/screen-input.ts: they hide or reorder text), so the composer drops
// them before sending rather than fail a message the member cannot see anything wrong with.
// Tabs and line breaks stay, and so do ZWJ/ZWNJ, which emoji and several scripts need.
// The same set as the server's screen (built from a string: a regex literal with control
// characters trips the linter), plus lone surrogates.
const INVISIBLE = new RegExp(
  '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u200B\\u202A-\\u202E' +
    '\\u2060-\\u2064\\u2066-\\u2069\\uFEFF\\u{E0000}-\\u{E007F}]|\\p{Cs}',
  'gu',
);

/** The prompt as the member sees it: invisible and control characters removed, then trimmed. */
export function cleanPrompt(text: string): string {
  return text.replace(INVISIBLE, '').trim();
}
