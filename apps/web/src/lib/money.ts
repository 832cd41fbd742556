import type { Locale } from '../i18n/translate.ts';

/** Plans are priced in integer minor units (cents) of an ISO 4217 currency (`usd`, `jpy`…). */

/** How many minor-unit digits a currency has (USD 2, JPY 0); 2 when the currency is unknown. */
export function currencyDigits(currency: string): number {
  try {
    const options = new Intl.NumberFormat('en', {
      style: 'currency',
      currency: currency.toUpperCase(),
    }).resolvedOptions();
    return options.maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export function minorToMajor(minor: number, currency: string): number {
  return minor / 10 ** currencyDigits(currency);
}

/** A price typed in major units (`19.99`) as the integer the API takes (`1999`). */
export function majorToMinor(major: number, currency: string): number {
  return Math.round(major * 10 ** currencyDigits(currency));
}

/** `$20`, `$19.99`, `US$20`, `¥900`: whole amounts without decimals, others with all of them. */
export function formatMoney(minor: number, currency: string, locale: Locale): string {
  const digits = currencyDigits(currency);
  const major = minor / 10 ** digits;
  const fraction = Number.isInteger(major) ? 0 : digits;
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: currency.toUpperCase(),
      minimumFractionDigits: fraction,
      maximumFractionDigits: digits,
    }).format(major);
  } catch {
    return `${major.toFixed(digits)} ${currency.toUpperCase()}`;
  }
}

export function formatCount(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale).format(value);
}
