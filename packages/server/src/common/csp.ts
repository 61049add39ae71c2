/**
 * The Content-Security-Policy a shop's checkout page needs, from one source of truth: each configured gateway
 * module declares the origins its browser side uses (`GatewayModule.browserSources`, from its configured URLs);
 * this adds the shop itself ('self') and the companion (the element calls it, K-Payment's forms post to it).
 */

/** The directives the checkout needs, in the order the header lists them. */
export const CSP_DIRECTIVES = ['script-src', 'connect-src', 'frame-src', 'img-src', 'form-action'] as const;
export type CspDirective = (typeof CSP_DIRECTIVES)[number];

/** Sources by directive: origins (`https://cdn.omise.co`) or host wildcards (`https://*.kasikornbank.com`). */
export type CspSources = Partial<Record<CspDirective, readonly string[]>>;

export interface ContentSecurityPolicy {
  /** Each directive the checkout needs with its sources, 'self' first; `img-src` only when a gateway needs it. */
  readonly directives: Readonly<Partial<Record<CspDirective, readonly string[]>>>;
  /** The same as a `Content-Security-Policy` header value. */
  readonly header: string;
}

/** Always given, even when no gateway adds to them: the element's own file, its calls and forms, the gateways' frames. */
const ALWAYS: readonly CspDirective[] = ['script-src', 'connect-src', 'frame-src', 'form-action'];

/** The origin of a URL, as a CSP source (no path: scripts load their own files from their host). */
export function originOf(url: string): string {
  return new URL(url).origin;
}

/**
 * The policy for a companion at `publicBaseUrl` and its gateway modules. The shop merges it into its own policy
 * (its styles, fonts and images are its own business); nothing here needs 'unsafe-inline' or 'unsafe-eval'.
 */
export function contentSecurityPolicy(input: { publicBaseUrl: string; gateways: readonly { browserSources?: CspSources }[] }): ContentSecurityPolicy {
  const companion: CspSources = { 'connect-src': [originOf(input.publicBaseUrl)] };
  const directives: Partial<Record<CspDirective, string[]>> = {};
  for (const name of CSP_DIRECTIVES) {
    const sources = [companion, ...input.gateways.map((g) => g.browserSources ?? {})].flatMap((s) => s[name] ?? []);
    if (sources.length > 0 || ALWAYS.includes(name)) directives[name] = [...new Set(["'self'", ...sources])];
  }
  const header = Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
  return { directives, header };
}
