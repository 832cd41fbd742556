import { describe, expect, it } from 'vitest';
import { cleanPrompt } from '../src/lib/cleanPrompt.ts';

describe('cleanPrompt', () => {
  it('drops what the server refuses and keeps what people type', () => {
    expect(cleanPrompt('\uFEFFhello\u200B world\u202E!\u0000\u0007')).toBe('hello world!');
    expect(cleanPrompt('lone \uD800 surrogate')).toBe('lone  surrogate');
    expect(cleanPrompt('  two\nlines\tand a tab  ')).toBe('two\nlines\tand a tab');
    // ZWJ emoji sequences and ZWNJ (Persian) survive.
    expect(cleanPrompt('👩\u200D💻 می\u200Cخواهم')).toBe('👩\u200D💻 می\u200Cخواهم');
  });
});
