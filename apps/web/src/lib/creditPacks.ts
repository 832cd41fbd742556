import type { AppRouter } from '@tessera/api';
import type { inferRouterInputs } from '@trpc/server';
import type { FieldMap } from '../components/forms/useServerErrors.ts';
import { majorToMinor, minorToMajor } from './money.ts';
import type { RouterOutputs } from './trpc.ts';

/** The credit packs the platform sells (see pages/admin/CreditPacksCard). */

export type PackRow = RouterOutputs['admin']['packs']['list'][number];
export type PackFields = inferRouterInputs<AppRouter>['admin']['packs']['create']['fields'];

export interface PackFormValues {
  name: string;
  credits: number | null;
  /** In major units (dollars), as the plan form takes a price; sent as `priceMinor`. */
  price: number | null;
  currency: string;
  stripePriceId: string;
  active: boolean;
}

export const NEW_PACK: PackFormValues = {
  name: '',
  credits: null,
  price: null,
  currency: 'usd',
  stripePriceId: '',
  active: true,
};

export function packToForm(pack: PackRow): PackFormValues {
  return {
    name: pack.name,
    credits: pack.credits,
    price: minorToMajor(pack.priceMinor, pack.currency),
    currency: pack.currency,
    stripePriceId: pack.stripePriceId ?? '',
    active: pack.active,
  };
}

/**
 * The form as the API takes it: the price in minor units of the chosen currency (19.99 USD →
 * 1999, 900 JPY → 900), an empty Stripe price = not linked. Missing numbers are sent as 0 so the
 * server, not the form, says what is wrong with them.
 */
export function packFieldsFromForm(values: PackFormValues): PackFields {
  const currency = values.currency.trim().toLowerCase();
  return {
    name: values.name.trim(),
    credits: values.credits ?? 0,
    priceMinor: majorToMinor(values.price ?? 0, currency),
    currency,
    stripePriceId: values.stripePriceId.trim() || null,
    active: values.active,
  };
}

/**
 * Server field keys → form fields. Router validation names full paths (`fields.stripePriceId`);
 * a price already linked to a plan or pack is refused by the domain under the bare key.
 */
export const PACK_SERVER_FIELDS: FieldMap = {
  'fields.name': 'name',
  'fields.credits': 'credits',
  'fields.priceMinor': 'price',
  'fields.currency': 'currency',
  'fields.stripePriceId': 'stripePriceId',
  stripePriceId: 'stripePriceId',
  'fields.active': 'active',
};
