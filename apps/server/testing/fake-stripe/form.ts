// Stripe's request encoding: application/x-www-form-urlencoded with bracket nesting, as the stripe
// SDK writes it (`line_items[0][price]=price_1`, `metadata[plan]=pro`, `expand[0]=subscription`).
// Decoded into plain objects; a level whose keys are 0..n-1 becomes an array.

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

/** `a[b][0][c]` → `['a', 'b', '0', 'c']`; a key without brackets is one segment. */
function segments(key: string): string[] {
  const first = key.indexOf('[');
  if (first === -1) return [key];
  const parts = [key.slice(0, first)];
  for (const match of key.slice(first).matchAll(/\[([^\]]*)\]/g)) parts.push(match[1] ?? '');
  return parts;
}

function arrayify(node: FormValue): FormValue {
  if (typeof node === 'string' || Array.isArray(node)) return node;
  const keys = Object.keys(node);
  for (const key of keys) node[key] = arrayify(node[key]!);
  const isList = keys.length > 0 && keys.every((k, i) => k === String(i));
  return isList ? keys.map((k) => node[k]!) : node;
}

export function parseForm(text: string): FormObject {
  const root: FormObject = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = segments(key);
    let node: FormObject = root;
    for (const [i, raw] of path.entries()) {
      // `expand[]=x` appends: give it the next free index.
      const part = raw === '' ? String(Object.keys(node).length) : raw;
      // Keys that would reach Object.prototype are dropped, as any server should.
      if (part === '__proto__' || part === 'constructor' || part === 'prototype') break;
      if (i === path.length - 1) {
        node[part] = value;
      } else {
        const next = node[part];
        if (next === undefined || typeof next === 'string' || Array.isArray(next)) node[part] = {};
        node = node[part] as FormObject;
      }
    }
  }
  return arrayify(root) as FormObject;
}

/** A string field of a decoded form, or undefined. */
export function str(form: FormObject | undefined, key: string): string | undefined {
  const value = form?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** A nested object of a decoded form (`metadata`, `subscription_data`), or undefined. */
export function obj(form: FormObject | undefined, key: string): FormObject | undefined {
  const value = form?.[key];
  return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/** Stripe metadata: string values only; an empty string deletes the key on update. */
export function metadataOf(form: FormObject | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(form ?? {})) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}
