import { createHash } from 'node:crypto';
import type { ErrorRequestHandler, Request, Response } from 'express';
import { z } from 'zod';
import { type ApiErrorBody, CheckoutError, type CheckoutErrorCode, Locale, errorCustomerMessage } from '@payment-checkout/core';
import { GatewayError } from '../gateways/gateway.ts';
import type { Logger } from '../common/logger.ts';

export interface ErrorResponse {
  status: number;
  body: ApiErrorBody;
}

/** zod issues as the API shows them: where, what, and the zod code. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): { path: string; message: string; code: string }[] {
  return issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
    code: i.code,
  }));
}

/** A CheckoutError's details that carry a gateway's own refusal (`operation_refused`), shown as the body's `gateway`. */
const GatewayRefusal = z.object({ gateway: z.object({ code: z.string(), message: z.string() }) });

/**
 * The one mapping from errors to HTTP answers: CheckoutError keeps its status and code; invalid input is a
 * 400 with the zod issues; a malformed body is `invalid_json`; gateway trouble is a 502; anything else is
 * logged and shown as a generic 500.
 */
export function toErrorResponse(err: unknown, logger: Logger): ErrorResponse {
  const reply = (status: number, code: string, message: string, issues?: unknown[], gateway?: { code: string; message: string }): ErrorResponse => ({
    status,
    body: { error: { code, message, ...(issues ? { issues } : {}), ...(gateway ? { gateway } : {}) } },
  });
  if (err instanceof CheckoutError) {
    if (err.status >= 500) logger.error(`${err.code}: ${err.message}`);
    const issues = Array.isArray(err.details) ? (err.details as z.core.$ZodIssue[]) : undefined;
    const gateway = GatewayRefusal.safeParse(err.details);
    return reply(err.status, err.code, err.message, issues && describeIssues(issues), gateway.success ? gateway.data.gateway : undefined);
  }
  // $ZodError: core's schemas are zod/mini, whose parse throws the core error class, not classic's ZodError.
  if (err instanceof z.core.$ZodError) return reply(400, 'bad_request', 'The request is not valid.', describeIssues(err.issues));
  if (err instanceof GatewayError) {
    logger.warn('gateway error', { gateway: err.gateway, code: err.code, error: err });
    return reply(502, 'gateway_error', 'The payment provider did not answer as expected. Please try again.');
  }
  const parser = err as { type?: string; status?: number; expose?: boolean };
  if (parser?.type === 'entity.parse.failed') return reply(400, 'invalid_json', 'The request body is not valid JSON.');
  if (parser?.type === 'entity.too.large') return reply(413, 'bad_request', 'The request body is too large.');
  // Express's own 4xx errors (a path parameter that is not valid percent-encoding is a URIError with status 400
  // and no `expose`): the client's fault, answered generically.
  if (typeof parser?.status === 'number' && parser.status >= 400 && parser.status < 500) {
    return reply(parser.status, 'bad_request', 'The request could not be read.');
  }
  logger.error('unexpected error', { error: err, stack: err instanceof Error ? err.stack : undefined });
  return reply(500, 'internal_error', 'Something went wrong on our side. Please try again.');
}

/** Where gateways send shoppers back (the return URL is the companion's own; gateway modules add theirs). */
export const RETURN_PATH = '/checkout/return/';

/**
 * The one error handler. Errors on browser paths (the return URL and the gateway modules' `browserPaths`) are
 * answered as a page when the browser asks for HTML; everything else as JSON, with the shopper's sentence
 * (`customerMessage`) when the request names its `locale` (docs/decisions.md C20).
 */
export function checkoutErrorHandler(logger: Logger, gatewayBrowserPaths: readonly string[] = []): ErrorRequestHandler {
  const browserPaths = [RETURN_PATH, ...gatewayBrowserPaths];
  return (err, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const { status, body } = toErrorResponse(err, logger);
    // Return URLs and gateway form posts are opened by shoppers' browsers: they get a page, API clients get JSON.
    if (browserPaths.some((p) => req.path.startsWith(p)) && req.accepts(['json', 'html']) === 'html') {
      sendErrorPage(req, res, status, body.error, browserPaths);
      return;
    }
    const locale = Locale.safeParse(req.query.locale);
    if (locale.success) body.error.customerMessage = errorCustomerMessage(body.error.code, locale.data);
    res.status(status).set('cache-control', 'no-store').json(body);
  };
}

type ShopperSentence = 'changed' | 'ended' | 'link' | 'unreadable' | 'unavailable' | 'generic';

/** What a shopper can do about each refusal (the technical message goes to the logs, not to the page). */
const SHOPPER_SENTENCE: Partial<Record<CheckoutErrorCode, ShopperSentence>> = {
  source_mismatch: 'changed',
  payment_final: 'ended',
  invalid_token: 'link',
  not_found: 'link',
  bad_request: 'unreadable',
  invalid_json: 'unreadable',
  gateway_error: 'unavailable',
  order_lookup_failed: 'unavailable',
  internal_error: 'unavailable',
};

const ERROR_PAGE_TEXT: Record<Locale, { headline: string; back: string; sentences: Record<ShopperSentence, string> }> = {
  en: {
    headline: 'The payment could not be completed',
    back: 'Back to the checkout',
    sentences: {
      changed: 'The payment details changed while you were paying. Nothing was charged; please go back and pay again.',
      ended: 'This payment has already ended. Nothing more was charged.',
      link: 'This link is not valid or has expired.',
      unreadable: 'The payment form could not be read. Nothing was charged.',
      unavailable: 'The payment service did not answer. Please try again in a moment.',
      generic: 'Something went wrong with this payment. Please go back to the shop and try again.',
    },
  },
  th: {
    headline: 'ไม่สามารถดำเนินการชำระเงินให้เสร็จสิ้นได้',
    back: 'กลับไปหน้าชำระเงิน',
    sentences: {
      changed: 'รายละเอียดการชำระเงินเปลี่ยนไประหว่างที่คุณกำลังชำระเงิน ไม่มีการเรียกเก็บเงิน กรุณากลับไปชำระเงินอีกครั้ง',
      ended: 'รายการชำระเงินนี้สิ้นสุดไปแล้ว ไม่มีการเรียกเก็บเงินเพิ่ม',
      link: 'ลิงก์นี้ไม่ถูกต้องหรือหมดอายุแล้ว',
      unreadable: 'ไม่สามารถอ่านข้อมูลในแบบฟอร์มชำระเงินได้ ไม่มีการเรียกเก็บเงิน',
      unavailable: 'ระบบชำระเงินไม่ตอบกลับ กรุณาลองใหม่อีกครั้งในอีกสักครู่',
      generic: 'เกิดปัญหากับการชำระเงินนี้ กรุณากลับไปที่ร้านค้าแล้วลองใหม่อีกครั้ง',
    },
  },
  ja: {
    headline: 'お支払いを完了できませんでした',
    back: 'お支払い画面に戻る',
    sentences: {
      changed: 'お支払い中にお支払い内容が変更されました。料金は請求されていません。お支払い画面に戻り、もう一度お支払いください。',
      ended: 'このお支払いはすでに終了しています。追加の料金は請求されていません。',
      link: 'このリンクは無効か、有効期限が切れています。',
      unreadable: 'お支払いフォームの内容を読み取れませんでした。料金は請求されていません。',
      unavailable: '決済サービスから応答がありませんでした。しばらくしてから、もう一度お試しください。',
      generic: 'このお支払いで問題が発生しました。ショップに戻り、もう一度お試しください。',
    },
  },
};

// Inline (no external resources) and script-free; system fonts; one centred card that fits a 320px screen.
const ERROR_PAGE_STYLE =
  ':root{color-scheme:light dark}' +
  'body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;padding:1rem;box-sizing:border-box;' +
  'font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans Thai","Noto Sans",sans-serif;background:#f4f5f7;color:#1f2328}' +
  'main{width:100%;max-width:28rem;box-sizing:border-box;padding:1.5rem;border-radius:12px;background:#fff;box-shadow:0 1px 3px rgba(0,0,0,.12)}' +
  'h1{margin:0 0 .75rem;font-size:1.25rem;line-height:1.3}' +
  'p{margin:0 0 1rem;overflow-wrap:anywhere}' +
  'a{display:inline-block;padding:.625rem 1rem;border-radius:8px;background:#0969da;color:#fff;font-weight:600;text-decoration:none}' +
  'a:focus-visible{outline:3px solid #54aeff;outline-offset:2px}' +
  '@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}main{background:#161b22;box-shadow:none}}';

/** The page runs nothing and loads nothing but its own style (by its hash); no site frames it. */
const ERROR_PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(ERROR_PAGE_STYLE).digest('base64')}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;

/**
 * The page a shopper's browser gets when a companion browser route refuses: what happened in the shopper's words
 * (English, Thai or Japanese, from Accept-Language; the code in `data-code`, the error's own message in the logs only), and a
 * way back to the page that sent the shopper here when that page is on this site.
 */
export function sendErrorPage(req: Request, res: Response, status: number, error: { code: string; message: string }, browserPaths: readonly string[] = [RETURN_PATH]): void {
  // No Accept-Language (or none we speak) reads as the first one offered: English.
  const locale: Locale = Locale.safeParse(req.acceptsLanguages(...Locale.options)).data ?? 'en';
  const text = ERROR_PAGE_TEXT[locale];
  const kind = Object.hasOwn(SHOPPER_SENTENCE, error.code) ? SHOPPER_SENTENCE[error.code as CheckoutErrorCode] : undefined;
  const sentence = text.sentences[kind ?? 'generic'];
  const back = sameSiteReferer(req, browserPaths);
  res
    .status(status)
    .set({ 'cache-control': 'no-store', 'content-security-policy': ERROR_PAGE_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' })
    .type('html')
    .send(
      `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<meta name="robots" content="noindex"><title>${escapeHtml(text.headline)}</title><style>${ERROR_PAGE_STYLE}</style></head>` +
        // The error's own message (ids, a gateway's words) is for the logs: the shopper reads our sentence only.
        `<body><main data-code="${escapeHtml(error.code)}"><h1>${escapeHtml(text.headline)}</h1><p role="alert">${escapeHtml(sentence)}</p>` +
        (back ? `<p><a href="${escapeHtml(back)}">${escapeHtml(text.back)}</a></p>` : '') +
        `</main></body></html>`,
    );
}

/**
 * The Referer when it is an http(s) page of this site (its host is the request's Host), else null: a refusal
 * never links to another origin. The host decides, not req.protocol, which reads http behind a TLS proxy.
 * A Referer that is itself one of these browser routes is no way back (it would repeat the refused request).
 */
function sameSiteReferer(req: Request, browserPaths: readonly string[]): string | null {
  const referer = req.get('referer');
  const host = req.get('host');
  if (!referer || !host) return null;
  let url: URL;
  let own: URL;
  try {
    url = new URL(referer);
    own = new URL(`${url.protocol}//${host}`);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || url.host !== own.host) return null;
  if (browserPaths.some((p) => url.pathname.startsWith(p))) return null;
  return url.href;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
