import { createHash } from 'node:crypto';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CheckoutError, CheckoutErrorCode } from '@payment-checkout/core';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../common/logger.ts';
import { checkoutErrorHandler } from './error-handler.ts';

/** The refusal page of the companion's browser routes, against a bare app whose route throws what it is told. */

const silent: Logger = { info: () => {}, warn: () => {}, error: () => {} };
const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let server: Server;
let port: number;
beforeAll(async () => {
  const app = express();
  app.post('/checkout/a-gateway/form/:code', (req) => {
    const message = typeof req.query.message === 'string' ? req.query.message : 'The card form does not match this payment.';
    throw new CheckoutError(CheckoutErrorCode.parse(req.params.code), message);
  });
  app.get('/checkout/return/:id', () => {
    throw new CheckoutError('invalid_token', 'This return link is not valid.');
  });
  app.use(checkoutErrorHandler(silent, ['/checkout/a-gateway/form/']));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** node:http, not fetch: fetch cannot set Host, and sets Referer only within its own rules. */
function send(method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; cache: string; text: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), cache: String(res.headers['cache-control']), text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
const refuse = (code: string, headers: Record<string, string> = {}, message?: string) =>
  send('POST', `/checkout/a-gateway/form/${code}${message === undefined ? '' : `?message=${encodeURIComponent(message)}`}`, { accept: HTML, ...headers });
const origin = () => `http://127.0.0.1:${port}`;

describe('the error page of a refused browser route', () => {
  it('keeps the status and no-store, shows no technical message (ids, gateway words), in a styled page without scripts or external resources', async () => {
    const page = await refuse('source_mismatch', {}, "The card form does not match this payment: merchant id 451000000000001 is not this shop's.");
    expect(page.status).toBe(422);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.cache).toBe('no-store');
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page.text).toContain('<h1>The payment could not be completed</h1>');
    expect(page.text).not.toContain('451000000000001');
    expect(page.text).not.toContain('does not match');
    expect(page.text).not.toMatch(/Error code|source_mismatch<|<code>/);
    expect(page.text).toContain('<main data-code="source_mismatch">');
    expect(page.text).toMatch(/<style>[^<]*main\{[^<]*<\/style>/);
    expect(page.text).not.toMatch(/<script|<link|<img|<iframe|\son\w+=|src=|url\(|@import/i);
    // And the browser is told so: nothing but its own style runs or loads, no site may frame it, no Referer leaves it.
    const style = /<style>([^<]*)<\/style>/.exec(page.text)![1];
    const hash = createHash('sha256').update(style).digest('base64');
    expect(page.headers['content-security-policy']).toBe(`default-src 'none'; style-src 'sha256-${hash}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`);
    expect(page.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
  });

  it.each([
    ['source_mismatch', 422, 'The payment details changed while you were paying. Nothing was charged; please go back and pay again.'],
    ['payment_final', 409, 'This payment has already ended. Nothing more was charged.'],
    ['invalid_token', 403, 'This link is not valid or has expired.'],
    ['not_found', 404, 'This link is not valid or has expired.'],
    ['bad_request', 400, 'The payment form could not be read. Nothing was charged.'],
    ['invalid_json', 400, 'The payment form could not be read. Nothing was charged.'],
    ['gateway_error', 502, 'The payment service did not answer. Please try again in a moment.'],
    ['internal_error', 500, 'The payment service did not answer. Please try again in a moment.'],
    ['method_unavailable', 422, 'Something went wrong with this payment. Please go back to the shop and try again.'],
    ['payment_in_progress', 409, 'Something went wrong with this payment. Please go back to the shop and try again.'],
  ])('%s: %i with the shopper sentence for that code', async (code, status, sentence) => {
    const page = await refuse(code);
    expect(page.status).toBe(status);
    expect(page.text).toContain(`<main data-code="${code}"><h1>The payment could not be completed</h1><p role="alert">${sentence}</p>`);
  });

  it.each([
    ['th', 'th'],
    ['th-TH,th;q=0.9,en;q=0.8', 'th'],
    ['en-US,en;q=0.9,th;q=0.8', 'en'],
    ['ja', 'ja'],
    ['ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7', 'ja'],
    ['fr-FR,ja;q=0.5', 'ja'],
    ['fr-FR', 'en'],
    ['', 'en'],
  ])('Accept-Language %j → lang %s', async (acceptLanguage, lang) => {
    const page = await refuse('payment_final', acceptLanguage ? { 'accept-language': acceptLanguage } : {});
    expect(page.text).toContain(`<html lang="${lang}">`);
    if (lang === 'th') {
      expect(page.text).toContain('<h1>ไม่สามารถดำเนินการชำระเงินให้เสร็จสิ้นได้</h1><p role="alert">รายการชำระเงินนี้สิ้นสุดไปแล้ว ไม่มีการเรียกเก็บเงินเพิ่ม</p>');
      // The technical line stays the server's English, marked as such.
      expect(page.text).not.toContain('The card form does not match this payment.');
    } else if (lang === 'ja') {
      expect(page.text).toContain('<h1>お支払いを完了できませんでした</h1><p role="alert">このお支払いはすでに終了しています。追加の料金は請求されていません。</p>');
    } else {
      expect(page.text).toContain('<h1>The payment could not be completed</h1><p role="alert">This payment has already ended. Nothing more was charged.</p>');
    }
  });

  it.each([
    ['Thai', 'th', /[\u0E00-\u0E7F]/],
    ['Japanese', 'ja', /[\u3040-\u30FF\u4E00-\u9FFF]/],
  ])('has a %s sentence for every kind of refusal', async (_, acceptLanguage, script) => {
    const sentences = new Set<string>();
    for (const code of ['source_mismatch', 'payment_final', 'invalid_token', 'bad_request', 'gateway_error', 'method_unavailable']) {
      const page = await refuse(code, { 'accept-language': acceptLanguage });
      const sentence = /<\/h1><p role="alert">([^<]*)<\/p>/.exec(page.text)![1];
      expect(sentence, code).toMatch(script);
      sentences.add(sentence);
    }
    expect(sentences.size).toBe(6);
  });

  it('never shows the message, however it reads', async () => {
    const page = await refuse('bad_request', {}, '<script>alert("x")</script> & \'y\'');
    expect(page.text).not.toMatch(/<script|alert\(|&#60;script/);
    expect(page.text).toContain('<p role="alert">The payment form could not be read. Nothing was charged.</p>');
  });

  it('links back to a same-origin Referer, escaped', async () => {
    const referer = `${origin()}/checkout.html?orderId=o1&x="><script>`;
    const page = await refuse('source_mismatch', { referer });
    const href = new URL(referer).href.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    expect(page.text).toContain(`<p><a href="${href}">Back to the checkout</a></p>`);
    expect(page.text).not.toContain('<script>');
    const th = await refuse('source_mismatch', { referer: `${origin()}/checkout.html`, 'accept-language': 'th' });
    expect(th.text).toContain(`<a href="${origin()}/checkout.html">กลับไปหน้าชำระเงิน</a>`);
    const ja = await refuse('source_mismatch', { referer: `${origin()}/checkout.html`, 'accept-language': 'ja-JP' });
    expect(ja.text).toContain(`<a href="${origin()}/checkout.html">お支払い画面に戻る</a>`);
  });

  it.each([
    ['no Referer', undefined],
    ['another origin', 'https://evil.example/checkout.html'],
    ['another port', 'http://127.0.0.1:1/checkout.html'],
    ['the same host as a userinfo', 'http://127.0.0.1@evil.example/checkout.html'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,<p>x</p>'],
    ['not a URL', '/checkout.html'],
    ['the refused route itself', 'SELF/checkout/a-gateway/form/source_mismatch'],
  ])('has no back link for %s', async (_, referer) => {
    const page = await refuse('source_mismatch', referer ? { referer: referer.replace('SELF', origin()) } : {});
    expect(page.status).toBe(422);
    expect(page.text).not.toContain('<a ');
    expect(page.text).not.toContain('Back to the checkout');
  });

  it('has no back link when the Host is another site than the Referer', async () => {
    const page = await refuse('source_mismatch', { host: 'shop.example', referer: `${origin()}/checkout.html` });
    expect(page.text).not.toContain('<a ');
  });

  it('answers GET browser routes too (the return URL)', async () => {
    const page = await send('GET', '/checkout/return/pay_x?token=nope', { accept: HTML, 'accept-language': 'th' });
    expect(page.status).toBe(403);
    expect(page.text).toContain('<html lang="th">');
    expect(page.text).toContain('<p role="alert">ลิงก์นี้ไม่ถูกต้องหรือหมดอายุแล้ว</p>');
    expect(page.text).not.toContain('This return link is not valid.');
  });

  it('answers JSON clients with the JSON body as before, whatever their language or Referer', async () => {
    const res = await send('POST', '/checkout/a-gateway/form/payment_final', { accept: 'application/json', 'accept-language': 'th', referer: `${origin()}/checkout.html` });
    expect(res.status).toBe(409);
    expect(res.type).toMatch(/^application\/json/);
    expect(res.cache).toBe('no-store');
    expect(JSON.parse(res.text)).toEqual({ error: { code: 'payment_final', message: 'The card form does not match this payment.' } });
    const any = await send('POST', '/checkout/a-gateway/form/payment_final');
    expect(any.type).toMatch(/^application\/json/);
  });

  it("adds the shopper's sentence for the code to the JSON body when the request names its locale, and keeps the message for developers", async () => {
    const json = async (query: string) => JSON.parse((await send('POST', `/checkout/a-gateway/form/${query}`, { accept: 'application/json' })).text);
    expect(await json('payment_final?locale=th')).toEqual({
      error: { code: 'payment_final', message: 'The card form does not match this payment.', customerMessage: 'คำสั่งซื้อนี้ชำระเงินแล้ว' },
    });
    expect((await json('payment_final?locale=en')).error).toEqual({
      code: 'payment_final',
      message: 'The card form does not match this payment.',
      customerMessage: 'This order is already paid.',
    });
    expect((await json('payment_final?locale=ja')).error.customerMessage).toBe('このご注文はお支払い済みです。');
    // A code without a shopper's sentence gets the generic one, never its own words; a locale the checkout does not speak adds nothing.
    expect((await json('operation_refused?locale=th&message=Refused.')).error.customerMessage).toBe('เกิดข้อผิดพลาด กรุณาลองอีกครั้ง');
    expect((await json('payment_final?locale=fr')).error).not.toHaveProperty('customerMessage');
    // A page asked for by a browser is worded by its Accept-Language, as before.
    const page = await send('POST', '/checkout/a-gateway/form/payment_final?locale=th', { accept: HTML });
    expect(page.text).toContain('<html lang="en">');
  });
});
