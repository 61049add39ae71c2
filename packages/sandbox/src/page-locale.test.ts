import { customerMessage } from '@payment-checkout/core';
import express, { type Request } from 'express';
import { describe, expect, it } from 'vitest';
import { failureReason, pageLocale } from './page-locale.ts';
import { HOSTED_PAGE_TEXTS } from './page-texts.ts';
import { formatPageTime } from './page-time.ts';
import { expectWrittenInEachLanguage } from '../test/texts-kit.ts';

/** A request as Express makes it, with only the header that matters here. */
function request(acceptLanguage?: string): Request {
  const headers = acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage };
  return Object.assign(Object.create(express.request) as Request, { headers });
}

describe('pageLocale', () => {
  it("answers the first of English, Thai and Japanese in the browser's languages, in the shopper's order", () => {
    expect(pageLocale(request('th-TH,th;q=0.9,en-US;q=0.8,en;q=0.7'))).toBe('th');
    expect(pageLocale(request('ja'))).toBe('ja');
    expect(pageLocale(request('fr-FR, ja-JP;q=0.8, th;q=0.5'))).toBe('ja');
    expect(pageLocale(request('en-GB,th;q=0.5'))).toBe('en');
  });

  it('answers English when the browser names none of them, or nothing', () => {
    expect(pageLocale(request('fr-FR,de;q=0.8'))).toBe('en');
    expect(pageLocale(request('*'))).toBe('en');
    expect(pageLocale(request())).toBe('en');
  });
});

describe('failureReason', () => {
  it("keeps the gateway's own words in English, and gives core's sentence for the code in Thai and Japanese", () => {
    expect(failureReason('en', '51', 'Insufficient Funds')).toBe('Insufficient Funds');
    expect(failureReason('th', '51', 'Insufficient Funds')).toBe('วงเงินหรือยอดเงินในบัตรไม่เพียงพอ กรุณาชำระด้วยบัตรอื่น');
    expect(failureReason('ja', '51', 'Insufficient Funds')).toBe(customerMessage('51', 'ja'));
    // Without the gateway's words, English reads core's sentence too.
    expect(failureReason('en', 'payment_expired', null)).toBe('The payment expired before it was confirmed. Please try again.');
  });
});

describe('the texts around every hosted page', () => {
  it('are written in each language', () => {
    expectWrittenInEachLanguage(HOSTED_PAGE_TEXTS);
  });

  it('write times in the page language, in Bangkok time with its zone (Thai with the Buddhist year)', () => {
    const at = Date.UTC(2026, 2, 5, 7, 30); // 14:30 in Bangkok
    expect(formatPageTime(at, 'en')).toBe('March 5, 2026 at 14:30 GMT+7');
    expect(formatPageTime(at, 'th')).toBe('5 มีนาคม 2569 เวลา 14:30 GMT+7');
    expect(formatPageTime(at, 'ja')).toBe('2026年3月5日 14:30 GMT+7');
  });
});
