import * as z from 'zod/mini';

/** The languages the checkout speaks to shoppers. */
export const Locale = z.enum(['en', 'th']);
export type Locale = z.infer<typeof Locale>;

/** One text in every locale. */
export type Messages = Record<Locale, string>;
