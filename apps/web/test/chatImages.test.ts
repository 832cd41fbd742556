import { describe, expect, it } from 'vitest';
import { imageAccess, MAX_IMAGE_BYTES, screenImageFiles } from '../src/lib/chatImages.ts';
import type { ChatModel } from '../src/lib/trpc.ts';
import { PRO_UNLOCK } from './helpers.ts';

const file = (name: string, type = 'image/png', size = 1000) => ({ name, type, size });

describe('which files the composer attaches', () => {
  it('takes PNG, JPEG, WebP and GIF up to 5 MB, four in all, and says why it refuses the rest', () => {
    const { accepted, rejected } = screenImageFiles(
      [
        file('a.png'),
        file('b.jpg', 'image/jpeg'),
        file('notes.txt', 'text/plain'),
        file('huge.webp', 'image/webp', MAX_IMAGE_BYTES + 1),
        file('c.gif', 'image/gif'),
        file('d.svg', 'image/svg+xml'),
        file('e.webp', 'image/webp'),
      ],
      1,
    );
    expect(accepted.map((f) => f.name)).toEqual(['a.png', 'b.jpg', 'c.gif']);
    expect(rejected).toEqual([
      { name: 'notes.txt', code: 'IMAGE_TYPE' },
      { name: 'huge.webp', code: 'IMAGE_TOO_LARGE' },
      { name: 'd.svg', code: 'IMAGE_TYPE' },
      { name: 'e.webp', code: 'TOO_MANY_IMAGES' },
    ]);
  });
});

function model(id: string, vision: boolean, allowed: boolean): ChatModel {
  return {
    id,
    displayName: id.replace('tessera-', 'Tessera '),
    inputPricePerMillion: 1,
    outputPricePerMillion: 1,
    vision,
    allowed,
    unlock: allowed ? [] : [PRO_UNLOCK],
  };
}

describe('whether the chosen model takes images', () => {
  it('allows a vision model, points to the plan’s vision models, or to the plan that has one', () => {
    const pro = [model('tessera-mini', false, true), model('tessera-plus', true, true)];
    expect(imageAccess(pro, 'tessera-plus')).toEqual({ kind: 'allowed' });
    expect(imageAccess(pro, 'tessera-mini')).toEqual({
      kind: 'pickModel',
      models: ['Tessera plus'],
    });
    const free = [model('tessera-mini', false, true), model('tessera-plus', true, false)];
    expect(imageAccess(free, 'tessera-mini')).toEqual({
      kind: 'locked',
      model: 'Tessera plus',
      unlock: [PRO_UNLOCK],
    });
    expect(imageAccess([model('tessera-mini', false, true)], 'tessera-mini')).toEqual({
      kind: 'none',
    });
  });
});
