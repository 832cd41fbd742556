import { describe, expect, it } from 'vitest';
import { codesCsv, csvField, csvFileName } from '../src/lib/codesCsv.ts';

describe('codes CSV', () => {
  it('has a header row, one row per code, and CRLF line ends', () => {
    const batch = {
      id: 'abcdefgh12345678',
      planKey: 'pro-monthly',
      days: 30,
      credits: null,
      note: null,
      expiresAt: '2027-01-01T00:00:00.000Z',
    };
    expect(codesCsv(batch, ['TSRA-AAAA-BBBB-CCCC-DDDD', 'TSRA-EEEE-FFFF-GGGG-HHHH'])).toBe(
      'code,batch,plan,days,credits,expires_at,note\r\n' +
        'TSRA-AAAA-BBBB-CCCC-DDDD,abcdefgh12345678,pro-monthly,30,,2027-01-01T00:00:00.000Z,\r\n' +
        'TSRA-EEEE-FFFF-GGGG-HHHH,abcdefgh12345678,pro-monthly,30,,2027-01-01T00:00:00.000Z,\r\n',
    );
    expect(csvFileName(batch)).toBe('tessera-codes-pro-monthly-abcdefgh.csv');
  });

  it('quotes commas, quotes and line breaks, and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField(null)).toBe('');
    expect(csvField(5000)).toBe('5000');
  });
});
