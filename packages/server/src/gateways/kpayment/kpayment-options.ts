import { z } from 'zod';
import type { ConfigIssue } from '../../common/config-error.ts';
import { BaseUrl, EnvFlag, EnvUrl, HttpUrl, SANDBOX_TEST_KEYS, UrlOrPath, checkKeyPair, envVar, fillUrlTemplate, flagOn, fn } from '../../common/config-schemas.ts';

const KpaymentPublicKey = z.string().regex(/^pkey_[A-Za-z0-9_]+$/, 'must be a K-Payment public key (pkey_…)');
const KpaymentSecretKey = z.string().regex(/^skey_[A-Za-z0-9_]+$/, 'must be a K-Payment secret key (skey_…)');
/** `data-mid` is Varchar(15) (guide §4.1.1.1). */
const MerchantId = z.string().regex(/^\d{1,15}$/, 'must be a K-Payment merchant id (up to 15 digits)');

/** A day of the Installment Plan Report: Text (10), DD/MM/YYYY in the Christian era, e.g. 25/09/2021. */
const PlanDay = z
  .string()
  .regex(/^\d{2}\/\d{2}\/\d{4}$/, 'must be a day as the report writes it, DD/MM/YYYY')
  .refine((day) => {
    const [d, m, y] = day.split('/').map(Number);
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, 'must be a day that exists');

/** A report's day as YYYYMMDD, to compare. */
export const planDay = (day: string): string => day.split('/').reverse().join('');

/** A price of the Installment Plan Report: Number (9,2), baht. */
const PlanPrice = z.number().nonnegative().multipleOf(0.01, { error: 'must be baht with at most 2 decimals' });

/** SmartPay instalments (guide §4.1.1.1 c/d): a SmartpayID, or one Installment Plan exported from the portal. */
export const SmartpayOptions = z
  .strictObject({
    /** The SmartpayID variant (`data-smartpay-id`, `additional_data.smartpay_id`). */
    smartpayId: z.string().regex(/^\d{1,6}$/, 'must be the SmartpayID digits, e.g. "0001"').optional(),
    /** The Installment Plan variant: the row of the portal's Installment Plan Report to offer. */
    plan: z
      .strictObject({
        planId: z.string().regex(/^\d{1,3}$/, 'must be the PlanID (up to 3 digits)'),
        ipanMode: z.enum(['01', '02', '03', '04'], { error: 'must be 01, 02, 03 or 04' }),
        productType: z.string().regex(/^\d{1,3}$/, 'must be the ProductType (up to 3 digits)'),
        supplierNo: z.string().regex(/^[A-Za-z0-9]{1,20}$/, 'must be the SupplierNo.'),
        modelNo: z.string().regex(/^[A-Za-z0-9]{1,10}$/, 'must be the ModelNo.'),
        /** The report's MinPrice and MaxPrice, in baht as the report gives them: instalments are offered within them only. */
        minPrice: PlanPrice.optional(),
        maxPrice: PlanPrice.optional(),
        /** The report's ValidFrom and ValidTo (DD/MM/YYYY, Bangkok days): instalments are offered on those days only. */
        validFrom: PlanDay.optional(),
        validTo: PlanDay.optional(),
      })
      .refine((p) => p.minPrice === undefined || p.maxPrice === undefined || p.minPrice <= p.maxPrice, { error: 'minPrice must not be above maxPrice' })
      .refine((p) => !p.validFrom || !p.validTo || planDay(p.validFrom) <= planDay(p.validTo), { error: 'validFrom must not be after validTo' })
      .optional(),
    /** A fixed number of months (`data-term`); without it the shopper picks a term in the card form. */
    term: z.number().int().min(1).max(99).optional(),
  })
  .refine((s) => Boolean(s.smartpayId) !== Boolean(s.plan), { error: 'give either smartpayId or plan (the guide allows only one set)' });
export type SmartpayOptions = z.infer<typeof SmartpayOptions>;

/** A card registration (register-3D) as the host sees it, for `kpayment.registrationResultUrl`. */
export interface CardRegistrationView {
  id: string;
  orderId: string;
  status: 'pending' | 'saved' | 'failed';
}

export const KpaymentOptions = z.strictObject({
  publicKey: KpaymentPublicKey.optional(),
  secretKey: KpaymentSecretKey.optional(),
  /** Default: K-Payment's API for the keys (test keys → the bank's dev host), or required (the sandbox's URL) without keys. */
  apiUrl: BaseUrl.optional(),
  /** Where the browser loads kpayment.min.js. Default: the sandbox's, or the bank's for the keys. */
  scriptUrl: HttpUrl.optional(),
  /** The merchant id for cards (Full MCC / SmartPay); the sandbox's default when running against it. */
  mid: MerchantId.optional(),
  /** The Full DCC merchant id: THB orders then use it, and foreign Visa/Mastercard holders may pay in their currency. */
  dccMid: MerchantId.optional(),
  /** `data-name`, Varchar(15). */
  merchantName: z.string().trim().min(1).max(15, { error: 'must be at most 15 characters (data-name)' }).optional(),
  smartpay: SmartpayOptions.optional(),
  /** Running against the sandbox: registers the companion's callback and notify URLs there at start-up. */
  sandbox: z.boolean().optional(),
  /** Per request to K-Payment. Default 15 000. */
  timeoutMs: z.number().int().positive().max(120_000).optional(),
  /**
   * Thai QR / WeChat Pay: how long a QR order lives, sent as `expire_time_seconds` in Create Order (the sandbox
   * takes it; the guide shows it in the answer only). Default: not sent, the gateway's own (3600 in the guide).
   */
  qrExpireSeconds: z.number().int().min(60).max(86_400).optional(),
  /**
   * Where the shopper goes after saving a card with register-3D: a function, or a template with
   * {registrationId}, {orderId}, {status}. Without it, `POST /checkout/kpayment/registrations` is off.
   */
  registrationResultUrl: z.union([fn<(registration: CardRegistrationView) => string>('registration => url'), UrlOrPath]).optional(),
});
export type KpaymentOptions = z.input<typeof KpaymentOptions>;

/**
 * The bank's hosts (guide §1.3): test keys go to the dev hosts, live keys to production. `pages`: where the
 * shopper's browser is sent by a Dynamic URL (3-D Secure, Alipay, UnionPay), which the guide does not list; its
 * samples show bank hosts (kpgw.kasikornbank.com, L1413, L3275) and, in a test answer, uat-kpaymentgateway.com
 * (L1672): decisions.md C19.
 */
export const KPAYMENT_HOSTS = {
  test: {
    api: 'https://dev-kpaymentgateway-services.kasikornbank.com',
    script: 'https://dev-kpaymentgateway.kasikornbank.com/ui/v2/kpayment.min.js',
    pages: ['https://*.kasikornbank.com', 'https://uat-kpaymentgateway.com'],
  },
  live: {
    api: 'https://kpaymentgateway-services.kasikornbank.com',
    script: 'https://kpaymentgateway.kasikornbank.com/ui/v2/kpayment.min.js',
    pages: ['https://*.kasikornbank.com'],
  },
} as const;

/** The sandbox's default merchant id (its settings can change it). */
export const KPAYMENT_SANDBOX_MID = '401000000000001';

/** Completes parsed K-Payment options; pushes what is wrong, under `kpayment.`. */
export function resolveKpayment(k: z.output<typeof KpaymentOptions>, issues: ConfigIssue[]) {
  const { sandbox, testKeys } = checkKeyPair('kpayment', 'K-Payment', k, issues);
  if (!sandbox && !k.mid) issues.push({ path: 'kpayment.mid', message: 'give the merchant id K-Payment assigned (data-mid)' });
  if (k.dccMid && k.mid && k.dccMid === k.mid) issues.push({ path: 'kpayment.dccMid', message: 'the Full DCC merchant id differs from the card merchant id' });

  const hosts = testKeys ? KPAYMENT_HOSTS.test : KPAYMENT_HOSTS.live;
  const apiUrl = k.apiUrl ?? hosts.api;
  return {
    publicKey: k.publicKey ?? SANDBOX_TEST_KEYS.publicKey,
    secretKey: k.secretKey ?? SANDBOX_TEST_KEYS.secretKey,
    apiUrl,
    scriptUrl: k.scriptUrl ?? (sandbox ? `${apiUrl}/ui/v2/kpayment.min.js` : hosts.script),
    mid: k.mid ?? KPAYMENT_SANDBOX_MID,
    dccMid: k.dccMid ?? null,
    merchantName: k.merchantName ?? null,
    smartpay: k.smartpay ?? null,
    sandbox,
    timeoutMs: k.timeoutMs ?? 15_000,
    qrExpireSeconds: k.qrExpireSeconds ?? null,
    registrationResultUrl: registrationResultUrlOf(k.registrationResultUrl),
  };
}

/** K-Payment settings after defaults (the type of what `resolveKpayment` answers). */
export type ResolvedKpaymentOptions = ReturnType<typeof resolveKpayment>;

/** The register-3D result page as a function: the host's own, or its template with {registrationId}, {orderId}, {status}. */
function registrationResultUrlOf(given: z.output<typeof KpaymentOptions>['registrationResultUrl']): ((registration: CardRegistrationView) => string) | null {
  if (given === undefined) return null;
  if (typeof given === 'function') return given;
  return (r) => fillUrlTemplate(given, { registrationId: r.id, orderId: r.orderId, status: r.status });
}

/** K-Payment's environment variables. */
export const KpaymentEnv = z.object({
  KPAYMENT_PUBLIC_KEY: envVar(KpaymentPublicKey),
  KPAYMENT_SECRET_KEY: envVar(KpaymentSecretKey),
  KPAYMENT_API_URL: envVar(EnvUrl),
  KPAYMENT_SCRIPT_URL: envVar(EnvUrl),
  KPAYMENT_MID: envVar(MerchantId),
  KPAYMENT_DCC_MID: envVar(MerchantId),
  KPAYMENT_MERCHANT_NAME: envVar(z.string().max(15, 'must be at most 15 characters')),
  KPAYMENT_SMARTPAY_ID: envVar(z.string().regex(/^\d{1,6}$/, 'must be the SmartpayID digits')),
  KPAYMENT_SMARTPAY_TERM: envVar(z.coerce.number().int().min(1).max(99)),
  KPAYMENT_SANDBOX: envVar(EnvFlag),
  KPAYMENT_TIMEOUT_MS: envVar(z.coerce.number().int().positive().max(120_000)),
  KPAYMENT_QR_EXPIRE_SECONDS: envVar(z.coerce.number().int().min(60, 'must be 60 to 86400 seconds').max(86_400, 'must be 60 to 86400 seconds')),
});

/**
 * K-Payment's options from the environment: with its keys, or against the sandbox when KPAYMENT_API_URL or
 * KPAYMENT_SANDBOX=true says so; null (off) otherwise.
 */
export function kpaymentFromEnv(vars: Record<string, unknown>, issues: ConfigIssue[]): KpaymentOptions | null {
  const e = vars as z.output<typeof KpaymentEnv>;
  if (Boolean(e.KPAYMENT_PUBLIC_KEY) !== Boolean(e.KPAYMENT_SECRET_KEY)) {
    issues.push({
      path: e.KPAYMENT_PUBLIC_KEY ? 'KPAYMENT_SECRET_KEY' : 'KPAYMENT_PUBLIC_KEY',
      message: 'set both KPAYMENT_PUBLIC_KEY and KPAYMENT_SECRET_KEY, or neither (with KPAYMENT_API_URL: the sandbox)',
    });
  }
  const keys = Boolean(e.KPAYMENT_PUBLIC_KEY && e.KPAYMENT_SECRET_KEY);
  const sandbox = e.KPAYMENT_SANDBOX === undefined ? !keys : flagOn(e.KPAYMENT_SANDBOX);
  const on = keys || Boolean(e.KPAYMENT_API_URL) || flagOn(e.KPAYMENT_SANDBOX);
  if (on && keys && !sandbox && !e.KPAYMENT_MID) issues.push({ path: 'KPAYMENT_MID', message: 'set the merchant id K-Payment assigned' });
  if (e.KPAYMENT_SMARTPAY_TERM !== undefined && !e.KPAYMENT_SMARTPAY_ID) issues.push({ path: 'KPAYMENT_SMARTPAY_TERM', message: 'needs KPAYMENT_SMARTPAY_ID' });
  if (!on) return null;
  return {
    publicKey: e.KPAYMENT_PUBLIC_KEY ?? (keys ? undefined : SANDBOX_TEST_KEYS.publicKey),
    secretKey: e.KPAYMENT_SECRET_KEY ?? (keys ? undefined : SANDBOX_TEST_KEYS.secretKey),
    sandbox,
    ...(e.KPAYMENT_API_URL ? { apiUrl: e.KPAYMENT_API_URL } : {}),
    ...(e.KPAYMENT_SCRIPT_URL ? { scriptUrl: e.KPAYMENT_SCRIPT_URL } : {}),
    ...(e.KPAYMENT_MID ? { mid: e.KPAYMENT_MID } : {}),
    ...(e.KPAYMENT_DCC_MID ? { dccMid: e.KPAYMENT_DCC_MID } : {}),
    ...(e.KPAYMENT_MERCHANT_NAME ? { merchantName: e.KPAYMENT_MERCHANT_NAME } : {}),
    ...(e.KPAYMENT_SMARTPAY_ID ? { smartpay: { smartpayId: e.KPAYMENT_SMARTPAY_ID, ...(e.KPAYMENT_SMARTPAY_TERM ? { term: e.KPAYMENT_SMARTPAY_TERM } : {}) } } : {}),
    ...(e.KPAYMENT_TIMEOUT_MS ? { timeoutMs: e.KPAYMENT_TIMEOUT_MS } : {}),
    ...(e.KPAYMENT_QR_EXPIRE_SECONDS ? { qrExpireSeconds: e.KPAYMENT_QR_EXPIRE_SECONDS } : {}),
  };
}
