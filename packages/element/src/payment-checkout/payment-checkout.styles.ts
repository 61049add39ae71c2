import { css } from 'lit';

export const styles = css`
  :host {
    --checkout-accent: #0b57d0;
    --checkout-accent-text: #ffffff;
    --checkout-text: #1f1f1f;
    --checkout-muted: #5f6368;
    --checkout-background: #ffffff;
    --checkout-border: #c4c7c5;
    --checkout-error: #b3261e;
    --checkout-success: #146c2e;
    --checkout-radius: 8px;
    --checkout-gap: 0.75rem;
    --checkout-font: system-ui, -apple-system, 'Segoe UI', 'Noto Sans Thai', 'Sarabun', sans-serif;

    display: block;
    color: var(--checkout-text);
    font-family: var(--checkout-font);
    line-height: 1.5;
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
    gap: var(--checkout-gap);
    background: var(--checkout-background);
  }

  /* Every line of text is a <p> without margins: the grid gaps space them. */
  p {
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
    color: var(--checkout-muted);
  }

  .amount-value {
    font-size: 1.5em;
    font-weight: 700;
  }

  .methods {
    display: grid;
    gap: var(--checkout-gap);
  }

  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
    display: grid;
    gap: 0.5rem;
  }

  legend {
    padding: 0;
    margin-bottom: 0.5rem;
    font-weight: 600;
  }

  button {
    font: inherit;
    cursor: pointer;
    min-height: 44px;
    padding: 0.625rem 1rem;
    border-radius: var(--checkout-radius);
  }

  button:focus-visible {
    outline: 3px solid var(--checkout-accent);
    outline-offset: 2px;
  }

  button:disabled {
    cursor: default;
    opacity: 0.6;
  }

  .method {
    text-align: start;
    color: var(--checkout-text);
    background: var(--checkout-background);
    border: 1px solid var(--checkout-border);
  }

  .method:not(:disabled):hover,
  .method.selected {
    border-color: var(--checkout-accent);
    box-shadow: inset 0 0 0 1px var(--checkout-accent);
  }

  .action {
    justify-self: start;
    color: var(--checkout-accent-text);
    background: var(--checkout-accent);
    border: 1px solid var(--checkout-accent);
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
    color: var(--checkout-error);
  }

  .busy {
    display: flex;
    align-items: center;
    gap: 0.5em;
  }

  .headline {
    font-size: 1.25em;
    font-weight: 700;
  }

  .result-paid .headline {
    color: var(--checkout-success);
  }

  .result-failed .headline,
  .error {
    color: var(--checkout-error);
  }

  /*
   * Shown, and turning, once a wait has lasted 150 ms: the shorter ones (most config loads) show none and paint
   * nothing for it. Its room in the line is kept meanwhile, so that nothing moves when it appears.
   */
  .spinner {
    flex: none;
    width: 1em;
    height: 1em;
    border: 2px solid var(--checkout-border);
    border-top-color: var(--checkout-accent);
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

  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 0s, 3s;
    }
  }
`;

// Parsed when the page is next idle after the element's code loads, rather than as the first element connects: an
// element inserted later starts sooner (one already in the page when the tag is defined parses it as it connects).
if (typeof document !== 'undefined') (globalThis.requestIdleCallback ?? setTimeout)(() => void styles.styleSheet);
