import { describe, expect, it } from 'vitest';
import { OperationsError } from './operations-api.ts';
import { filterProblems, listFailureText, toApiFilters } from './payment-filters.ts';

describe("the merchant page's date filters", () => {
  it('takes "Created to" as a whole minute: up to the next minute, which the API excludes', () => {
    const minute = new Date('2031-02-01T10:15').getTime();
    const { createdFrom, createdTo } = toApiFilters({ createdFrom: '2031-02-01T10:15', createdTo: '2031-02-01T10:15' });
    expect(createdFrom).toBe(new Date(minute).toISOString());
    // A payment at 10:15:59.999 is in; one at 10:16:00.000 is not (the API's createdTo is strictly before).
    expect(createdTo).toBe(new Date(minute + 60_000).toISOString());
    expect(toApiFilters({ createdTo: '2031-02-01T10:15:30' }).createdTo).toBe(new Date(minute + 30_000).toISOString());
  });
});

describe('a search the page cannot make', () => {
  it('says what is wrong with a malformed order id, and nothing of well-formed filters', () => {
    const rule = 'order ids are 1 to 64 letters, digits and the signs _ - . : (no spaces or other signs, not dots alone). No search was made.';
    expect(filterProblems({ orderId: 'no spaces allowed' })).toEqual([`The order id “no spaces allowed” cannot be one: ${rule}`]);
    expect(filterProblems({ orderId: 'ord/1' })).toEqual([`The order id “ord/1” cannot be one: ${rule}`]);
    expect(filterProblems({ orderId: '..' })).toHaveLength(1);
    expect(filterProblems({ orderId: 'x'.repeat(65) })).toHaveLength(1);
    expect(filterProblems({ orderId: 'ord_9f86d081884c7d65.a-b:c', status: 'succeeded', createdFrom: '2031-02-01T10:15' })).toEqual([]);
    expect(filterProblems({})).toEqual([]);
  });

  it('names the filter and what is wrong when the API refuses the search, not only "The request is not valid."', () => {
    const refused = new OperationsError(400, 'bad_request', 'The request is not valid.', null, [
      { path: 'orderId', message: 'must be an order id' },
      { path: 'createdFrom', message: 'Invalid ISO datetime' },
    ]);
    expect(listFailureText(refused)).toBe('The search was refused: Order id: must be an order id; Created from: Invalid ISO datetime.');
    expect(listFailureText(new OperationsError(400, 'bad_request', 'The request is not valid.'))).toBe('The search was refused: The request is not valid.');
    expect(listFailureText(new OperationsError(0, 'network_error', 'The shop’s server did not answer.'))).toBe('The payments could not be listed: The shop’s server did not answer.');
  });
});
