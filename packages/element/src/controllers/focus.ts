import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Where the shopper's eyes and focus go when the view changes under them: when what they were using goes away (the
 * choices for a QR code or a result, a closed card form), focus moves to what took its place once it is drawn, rather
 * than dropping to the page; and the live region is scrolled into view when it speaks of what they just did.
 */
export class FocusController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  /** A selector in the host's shadow root of what to focus once it is drawn, or null. */
  #next: string | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  /** Focuses the first element matching `selector` in the shadow root as soon as one is drawn. */
  next(selector: string): void {
    this.#next = selector;
  }

  hostUpdated(): void {
    const target = this.#next && this.#host.shadowRoot?.querySelector<HTMLElement>(this.#next);
    if (target) {
      this.#next = null;
      target.focus();
    }
  }

  /**
   * Scrolls the live region into view (a phone's screen may end at the pay action), with the "Try again" under it
   * when there is one, once the update is drawn.
   */
  async statusInView(): Promise<void> {
    await this.#host.updateComplete;
    const root = this.#host.shadowRoot;
    (root?.querySelector('.retry') ?? root?.querySelector('[role=status]'))?.scrollIntoView({ block: 'nearest' });
  }
}
