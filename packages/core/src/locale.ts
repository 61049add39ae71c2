import * as z from 'zod/mini';

/** The languages the checkout speaks to shoppers. */
export const Locale = z.enum(['en', 'th', 'ja']);
export type Locale = z.infer<typeof Locale>;

/** One text in every locale. */
export const Messages = z.record(Locale, z.string());
export type Messages = z.infer<typeof Messages>;
