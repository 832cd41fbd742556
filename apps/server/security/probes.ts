// Hostile variants of a valid input, as raw JSON text. Each probe changes one thing, so a probe
// that gets through names the field and the kind of hostility that did.

export interface Probe {
  label: string;
  raw: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

// JSON cannot spell these; the markers are swapped for raw text after JSON.stringify.
// 1e309 parses to Infinity on the server; NaN has no JSON form at all, so it arrives as a string.
const MARKERS: Record<string, string> = { '"\u0002+inf"': '1e309', '"\u0002-inf"': '-1e309' };

const ODD_UNICODE: Record<string, string> = {
  'a lone surrogate': '\uD800',
  'an RTL override': '\u202E',
  'a zero-width space': '\u200B',
  NUL: '\u0000',
};

function stringify(value: Json): string {
  let text = JSON.stringify(value);
  for (const [marker, raw] of Object.entries(MARKERS)) text = text.replaceAll(marker, raw);
  return text;
}

function clone(value: Json): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

/** `root` with the value at `path` replaced (or deleted when `value` is undefined). */
function withValue(root: Json, path: Path, value: Json | undefined): Json {
  const copy = clone(root);
  let node = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** `root` with an extra own key (`__proto__` included: defineProperty makes it a real key). */
function withKey(root: Json, path: Path, key: string, value: Json): Json {
  const copy = clone(root);
  let node = copy as Record<string | number, Json>;
  for (const step of path) node = node[step] as Record<string | number, Json>;
  Object.defineProperty(node, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

function* leaves(node: Json, path: Path = []): Generator<[Path, Json]> {
  if (node !== null && typeof node === 'object') {
    const entries = Array.isArray(node)
      ? node.map((v, i) => [i, v] as const)
      : Object.entries(node);
    for (const [key, value] of entries) yield* leaves(value, [...path, key]);
  } else if (path.length > 0) yield [path, node];
}

function* objects(node: Json, path: Path = []): Generator<Path> {
  if (node === null || typeof node !== 'object') return;
  if (!Array.isArray(node)) yield path;
  const entries = Array.isArray(node) ? node.map((v, i) => [i, v] as const) : Object.entries(node);
  for (const [key, value] of entries) yield* objects(value, [...path, key]);
}

function deep(levels: number): Json {
  let node: Json = 'bottom';
  for (let i = 0; i < levels; i++) node = [node];
  return node;
}

/**
 * Probes derived from `valid`. `longString` is as long as the transport allows (just under the
 * 1 MB body limit for POST; what fits in a URL for GET). `missingIsValid` tells whether leaving a
 * field out is allowed (then that probe is not hostile). `signed` fields may be negative.
 */
export function probesFor(
  valid: Json | undefined,
  options: {
    longString: number;
    signed: readonly string[];
    missingIsValid: (input: Json) => boolean;
  },
): Probe[] {
  const probes: Probe[] = [];
  const add = (label: string, input: Json) => probes.push({ label, raw: stringify(input) });
  const base: Json = valid ?? {};

  for (const path of objects(base)) {
    const at = path.length > 0 ? path.join('.') : 'input';
    add(`${at}: a __proto__ key`, withKey(base, path, '__proto__', { polluted: true }));
    add(
      `${at}: a constructor.prototype key`,
      withKey(base, path, 'constructor', { prototype: { polluted: true } }),
    );
    add(`${at}: a key with a NUL`, withKey(base, path, 'x\u0000y', 1));
  }
  add('input: 100 levels of nesting', withKey(base, [], 'nested', deep(100)));
  if (valid === undefined) return probes; // nothing else is read from an input it does not take

  add('input: a string instead of an object', 'input');
  add('input: an array instead of an object', []);
  for (const [path, value] of leaves(valid)) {
    const at = path.join('.');
    const set = (label: string, v: Json | undefined) =>
      add(`${at}: ${label}`, withValue(valid, path, v));
    set('an object instead', { wrong: ['type'] });
    set(
      typeof value === 'string' ? 'a number instead' : 'a string instead',
      typeof value === 'string' ? 12345 : '12345',
    );
    if (
      typeof path[path.length - 1] === 'string' &&
      !options.missingIsValid(withValue(valid, path, undefined))
    )
      set('missing', undefined);
    if (typeof value === 'string') {
      set(`${options.longString.toLocaleString('en')} characters`, 'a'.repeat(options.longString));
      for (const [name, char] of Object.entries(ODD_UNICODE)) set(name, `${value}${char}x`);
    }
    if (typeof value === 'number') {
      if (!options.signed.includes(at)) set('negative', -1);
      set('huge', 1e308);
      set('hugely negative', -1e308);
      set('Infinity (1e309)', '\u0002+inf');
      set('-Infinity (-1e309)', '\u0002-inf');
      set('NaN (as JSON can carry it)', 'NaN');
      set('a fraction', 0.5);
    }
  }
  return probes;
}
