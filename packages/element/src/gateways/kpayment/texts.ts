import type { Messages } from '@payment-checkout/core/locale';

/** The choice, next to the card, of paying in SmartPay instalments: KBank's credit cards only. */
export const KPAYMENT_INSTALLMENTS_LABEL: Messages = {
  en: 'KBank credit card in instalments',
  th: 'ผ่อนชำระด้วยบัตรเครดิตกสิกรไทย',
};
