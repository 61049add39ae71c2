import { describe, expect, it } from 'vitest';
import { toApiFilters } from './payment-filters.ts';

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
