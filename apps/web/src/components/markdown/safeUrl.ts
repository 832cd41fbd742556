/**
 * The URL policy of rendered answers. A model's text is untrusted (a prompt injection can make it
 * write anything), so links keep only schemes that navigate somewhere harmless: http(s), mailto and
 * relative or fragment URLs. Everything else — `javascript:`, `data:`, `vbscript:`, `file:` and
 * the obfuscated spellings browsers still accept (`java\tscript:`, `JaVaScRiPt:`, leading control
 * characters) — becomes an empty string, which the renderer shows as plain text.
 */
const ALLOWED_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

export function safeUrl(url: string): string {
  // Browsers drop ASCII tab/newline anywhere and C0 controls/spaces at the ends before parsing.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is exactly what is stripped.
  const cleaned = url.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  // Anything with a colon before its first `/`, `?` or `#` names a scheme (or tries to, as in
  // `java%0ascript:`); without one it is relative: a path, a query or a fragment.
  const head = cleaned.split(/[/?#]/, 1)[0] ?? '';
  if (!head.includes(':')) return cleaned;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(cleaned);
  if (!scheme) return '';
  return ALLOWED_SCHEMES.has(scheme[0].toLowerCase()) ? cleaned : '';
}

/** Links that leave the app open in a new tab, with no opener, referrer or endorsement. */
export function isExternal(url: string): boolean {
  return /^(https?:)?\/\//i.test(url);
}

export const EXTERNAL_REL = 'noopener noreferrer nofollow';
