/** The logger the companion writes to: console by default, or the host's (pino, winston… all fit). */
export interface Logger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
  debug?(message: string, data?: Record<string, unknown>): void;
}

export const consoleLogger: Logger = {
  info: (message, data) => console.info(`[checkout] ${message}`, ...(data ? [data] : [])),
  warn: (message, data) => console.warn(`[checkout] ${message}`, ...(data ? [data] : [])),
  error: (message, data) => console.error(`[checkout] ${message}`, ...(data ? [data] : [])),
};

const SECRET_KEY_PATTERN = /skey_[A-Za-z0-9_]+/g;

/**
 * Wraps a logger so that no secret reaches it: the configured secrets, anything shaped like a secret key (`skey_…`),
 * in messages and in (nested) data; errors are reduced to name, code and message.
 */
export function redactingLogger(base: Logger, secrets: readonly (string | null | undefined)[] | (() => readonly (string | null | undefined)[])): Logger {
  // A function is asked at each call: gateway modules learn some secrets after start-up (a sandbox's webhook secret).
  const known = () => (typeof secrets === 'function' ? secrets() : secrets).filter((s): s is string => typeof s === 'string' && s.length >= 8);
  const clean = (text: string): string => {
    let out = text.replace(SECRET_KEY_PATTERN, 'skey_[redacted]');
    for (const secret of known()) out = out.split(secret).join('[redacted]');
    return out;
  };
  const scrub = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return clean(value);
    if (value instanceof Error) {
      return { name: value.name, message: clean(value.message), ...('code' in value ? { code: scrub(value.code, depth + 1) } : {}) };
    }
    if (depth > 5 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, depth + 1)]));
  };
  const wrap =
    (level: 'info' | 'warn' | 'error' | 'debug') =>
    (message: string, data?: Record<string, unknown>): void => {
      const write = base[level];
      if (!write) return;
      const args: [string, Record<string, unknown>?] = [clean(message)];
      if (data) args.push(scrub(data, 0) as Record<string, unknown>);
      write.apply(base, args);
    };
  return { info: wrap('info'), warn: wrap('warn'), error: wrap('error'), debug: wrap('debug') };
}
