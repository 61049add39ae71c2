import { type Currency, minorToDecimal } from '@payment-checkout/core';

/** Minor units for the merchant's people (CLI, operations messages): `150000` THB → `1,500.00 THB`, `1500` JPY → `1,500 JPY`. */
export function amountText(minor: number, currency: Currency): string {
  const [whole, fraction] = minorToDecimal(minor, currency).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${fraction === undefined ? grouped : `${grouped}.${fraction}`} ${currency}`;
}
