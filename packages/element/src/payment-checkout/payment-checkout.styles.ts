import { css } from 'lit';

export const styles = css`
  /*
   * Each colour in the light and the dark scheme: the element takes the page's scheme (its color-scheme, and with
   * "light dark" the shopper's system's), or the one its theme attribute names.
   */
  :host {
    --pc-accent: light-dark(#0b57d0, #a8c7fa);
    --pc-accent-text: light-dark(#ffffff, #062e6f);
    --pc-text: light-dark(#1f1f1f, #e3e3e3);
    --pc-muted: light-dark(#5f6368, #c4c7c5);
    --pc-background: light-dark(#ffffff, #131314);
    --pc-surface: light-dark(#f8fafd, #1e1f20);
    --pc-border: light-dark(#c4c7c5, #8e918f);
    --pc-error: light-dark(#b3261e, #f2b8b5);
    --pc-success: light-dark(#146c2e, #6dd58c);
    --pc-radius: 8px;
    --pc-gap: 0.75rem;
    --pc-font: system-ui, -apple-system, Segoe UI, Noto Sans Thai, Sarabun, sans-serif;

    display: block;
    color: var(--pc-text);
    font-family: var(--pc-font);
    line-height: 1.5;
  }

  :host([theme='dark']) {
    color-scheme: dark;
  }

  :host([theme='light']) {
    color-scheme: light;
  }

  :host([hidden]) {
    display: none;
  }

  /* The K-Payment form holds only the script and hidden fields: no box of its own in the layout. */
  ::slotted([slot='card-form']) {
    display: contents;
  }

  .base {
    display: grid;
    gap: var(--pc-gap);
    background: var(--pc-background);
  }

  /* A long unbroken word (a payment's reference) wraps rather than widening a phone's page. */
  .reference {
    overflow-wrap: anywhere;
  }

  /* Every line of text is a <p> (a result's headline an <h2>) without margins: the grid gaps space them. */
  p,
  h2 {
    margin: 0;
  }

  .amount {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.5em;
  }

  .amount-label,
  .prompt,
  .summary,
  .note {
    color: var(--pc-muted);
  }

  .amount-value {
    font-size: 1.5em;
    font-weight: 700;
  }

  .methods {
    display: grid;
    gap: var(--pc-gap);
  }

  /* The choices as tiles, two side by side on a phone: nine methods fit in about one screen. */
  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 9.5rem), 1fr));
    gap: 0.5rem;
  }

  legend {
    padding: 0;
    margin-bottom: 0.25rem;
    font-weight: 600;
  }

  button,
  .method,
  .action {
    font: inherit;
    cursor: pointer;
    min-height: 44px;
    box-sizing: border-box;
    border-radius: var(--pc-radius);
  }

  button,
  .action {
    padding: 0.625rem 1rem;
  }

  /* Anything focused (a button, a link, a headline) but a radio button, unseen: its tile shows it. */
  :not(input):focus-visible,
  .method:has(:focus-visible) {
    outline: 3px solid var(--pc-accent);
    outline-offset: 2px;
  }

  button:disabled,
  .method:has(:disabled) {
    cursor: default;
    opacity: 0.6;
  }

  .method {
    position: relative;
    display: flex;
    align-items: center;
    gap: 0.5rem;
    padding: 0.5rem;
    line-height: 1.25;
    overflow-wrap: break-word;
    hyphens: auto;
    color: var(--pc-text);
    background: var(--pc-surface);
    border: 1px solid var(--pc-border);
  }

  /* The radio button covers its tile, unseen: a tap anywhere on it selects; its state is the tile's border. */
  .method input {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    margin: 0;
    opacity: 0;
    cursor: inherit;
  }

  .method.selected {
    border-color: var(--pc-accent);
    box-shadow: inset 0 0 0 1px var(--pc-accent);
  }

  /* Where there is a pointer to hover with (on a touch screen a hover would stay after the tap, like a selection). */
  @media (hover: hover) {
    .method:hover {
      border-color: var(--pc-accent);
    }
  }

  .badge {
    flex: none;
    width: 36px;
    height: 24px;
    font: 700 11px/1 system-ui, sans-serif;
  }

  .action {
    justify-self: start;
    color: var(--pc-accent-text);
    background: var(--pc-accent);
    border: 1px solid var(--pc-accent);
    text-decoration: none;
  }

  .pay {
    justify-self: stretch;
    font-weight: 600;
  }

  .back {
    color: var(--pc-accent);
    background: none;
  }

  .notice {
    padding: 0.5rem 0.75rem;
    border-inline-start: 4px solid var(--pc-error);
    color: var(--pc-text);
  }

  .qr {
    display: grid;
    gap: 0.5rem;
  }

  .qr-title {
    font-weight: 600;
  }

  .countdown {
    font-size: 1.25em;
    font-variant-numeric: tabular-nums;
  }

  .countdown.expired {
    color: var(--pc-error);
  }

  .busy {
    display: flex;
    align-items: center;
    gap: 0.5em;
  }

  .headline {
    display: flex;
    align-items: center;
    gap: 0.5em;
    font-size: 1.25em;
    font-weight: 700;
  }

  /* Each result's icon, for the eye only (its headline says it): a tick, a cross, a dash, an arrow back, a mark. */
  .headline::before {
    content: var(--icon) / '';
    flex: none;
    display: grid;
    place-items: center;
    width: 1.75em;
    height: 1.75em;
    border: 2px solid;
    border-radius: 50%;
    font-size: 0.8em;
  }

  .result-paid {
    --icon: '✓';
  }

  .result-failed {
    --icon: '✕';
  }

  .result-expired,
  .result-canceled {
    --icon: '–';
  }

  .result-refunded {
    --icon: '↩';
  }

  .result-notice {
    --icon: '!';
  }

  .result-paid .headline {
    color: var(--pc-success);
  }

  .result-failed .headline,
  .error {
    color: var(--pc-error);
  }

  /*
   * Shown, and turning, once a wait has lasted 150 ms: the shorter ones (most config loads) show none and paint
   * nothing for it. Its room in the line is kept meanwhile, so that nothing moves when it appears.
   */
  .spinner {
    flex: none;
    width: 1em;
    height: 1em;
    border: 2px solid var(--pc-border);
    border-top-color: var(--pc-accent);
    border-radius: 50%;
    visibility: hidden;
    animation:
      shown 0s 150ms forwards,
      spin 0.8s linear 150ms infinite;
  }

  @keyframes shown {
    to {
      visibility: visible;
    }
  }

  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }

  /* Asked for less motion: the ring shows the wait without turning. */
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: shown 0s 150ms forwards;
    }
  }
`;

// Parsed when the page is next idle after the element's code loads, rather than as the first element connects: an
// element inserted later starts sooner (one already in the page when the tag is defined parses it as it connects).
if (typeof document !== 'undefined') (globalThis.requestIdleCallback ?? setTimeout)(() => void styles.styleSheet);
