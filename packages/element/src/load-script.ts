/** A gateway script (Omise.js) that did not load. */
export class ScriptLoadError extends Error {
  override readonly name = 'ScriptLoadError';
  readonly code = 'script_load_failed';
  readonly url: string;
  constructor(url: string) {
    super(`could not load ${url}`);
    this.url = url;
  }
}

const loads = new Map<string, Promise<void>>();

/**
 * Adds `<script src=url>` to the page once, however many callers ask and however concurrently; resolves when it
 * has run. A failed load is forgotten (and its tag removed) so that a retry fetches it again.
 */
export function loadScript(url: string, doc: Document = document): Promise<void> {
  const src = new URL(url, doc.baseURI).href;
  const known = loads.get(src);
  if (known) return known;
  const loading = new Promise<void>((resolve, reject) => {
    const script = doc.createElement('script');
    script.src = src;
    script.async = true;
    script.addEventListener('load', () => resolve(), { once: true });
    script.addEventListener(
      'error',
      () => {
        loads.delete(src);
        script.remove();
        reject(new ScriptLoadError(src));
      },
      { once: true },
    );
    doc.head.append(script);
  });
  loads.set(src, loading);
  return loading;
}
