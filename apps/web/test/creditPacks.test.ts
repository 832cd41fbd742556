import { describe, expect, it } from 'vitest';
import { resolveServerField } from '../src/components/forms/useServerErrors.ts';
import {
  NEW_PACK,
  PACK_SERVER_FIELDS,
  type PackRow,
  packFieldsFromForm,
  packToForm,
} from '../src/lib/creditPacks.ts';

const PACK: PackRow = {
  id: 'pack1',
  name: 'Starter',
  credits: 500_000,
  priceMinor: 1999,
  currency: 'usd',
  stripePriceId: 'price_1Starter',
  active: true,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

describe('credit pack form', () => {
  it('shows the price in major units and sends it in minor units of the currency', () => {
    const form = packToForm(PACK);
    expect(form).toMatchObject({ price: 19.99, credits: 500_000, stripePriceId: 'price_1Starter' });
    expect(packFieldsFromForm(form)).toEqual({
      name: 'Starter',
      credits: 500_000,
      priceMinor: 1999,
      currency: 'usd',
      stripePriceId: 'price_1Starter',
      active: true,
    });
    // A zero-decimal currency: 900 yen are 900 minor units, not 90,000.
    expect(packFieldsFromForm({ ...form, price: 900, currency: 'JPY' })).toMatchObject({
      priceMinor: 900,
      currency: 'jpy',
    });
    expect(packToForm({ ...PACK, priceMinor: 900, currency: 'jpy' }).price).toBe(900);
    // Float noise from typing 0.29 (0.29 * 100 = 28.999…) rounds to the cent.
    expect(packFieldsFromForm({ ...form, price: 0.29 }).priceMinor).toBe(29);
  });

  it('trims, and sends an empty Stripe price as not linked', () => {
    const fields = packFieldsFromForm({
      ...NEW_PACK,
      name: '  Top-up ',
      credits: 1000,
      price: 5,
      stripePriceId: '   ',
    });
    expect(fields).toEqual({
      name: 'Top-up',
      credits: 1000,
      priceMinor: 500,
      currency: 'usd',
      stripePriceId: null,
      active: true,
    });
    expect(packToForm({ ...PACK, stripePriceId: null }).stripePriceId).toBe('');
  });

  it('puts the server errors on the fields: router paths and the domain bare key', () => {
    expect(resolveServerField('fields.stripePriceId', PACK_SERVER_FIELDS)).toBe('stripePriceId');
    expect(resolveServerField('stripePriceId', PACK_SERVER_FIELDS)).toBe('stripePriceId');
    expect(resolveServerField('fields.priceMinor', PACK_SERVER_FIELDS)).toBe('price');
    expect(resolveServerField('fields.credits', PACK_SERVER_FIELDS)).toBe('credits');
  });
});
