import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CompanionClient } from '../companion-client.ts';
import type { CheckoutErrorStage } from '../events.ts';
import type { CheckoutTexts, Locale } from '../texts.ts';
import type { ProblemController } from './problems.ts';

export interface TextsOptions {
  client(): CompanionClient;
  locale(): Locale;
  /** The texts are on their way with the checkout config: no need to ask for them apart. */
  coming(): boolean;
  /** Where an error of the request would be reported (`status` on a result page, else `config`). */
  stage(): CheckoutErrorStage;
  problems: ProblemController;
}

/**
 * The shopper's texts, from the companion (docs/decisions.md C21): the config brings them (`set`); otherwise, on a
 * result page or after a change of language, they are asked for alone (`GET /checkout/texts`), once per locale. A
 * request that failed is shown as the element's problem and asked again only on "Try again" (`retry`).
 */
export class TextsController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: TextsOptions;
  readonly #byLocale = new Map<Locale, CheckoutTexts>();
  /** The last texts received, shown while those of a new locale are on their way. */
  #last: { locale: Locale; texts: CheckoutTexts } | null = null;
  /** The locale whose texts were last asked for alone. */
  #asked: Locale | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, options: TextsOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Before each render: asks for the texts of the shopper's locale if they are not here, asked for, or coming. */
  hostUpdate(): void {
    const locale = this.#options.locale();
    if (!this.#host.isConnected || this.#byLocale.has(locale) || this.#asked === locale || this.#options.coming()) return;
    this.#asked = locale;
    this.#options
      .client()
      .getTexts({ locale })
      .then(
        (texts) => {
          this.set(locale, texts);
          this.#host.requestUpdate();
        },
        (error: unknown) => {
          // Without texts the element can say only its own few words: the error, and "Try again".
          const { problems } = this.#options;
          if (!this.#byLocale.has(locale) && !problems.current) problems.report(error, { stage: this.#options.stage() });
        },
      );
  }

  set(locale: Locale, texts: CheckoutTexts): void {
    this.#byLocale.set(locale, texts);
    this.#last = { locale, texts };
  }

  /** The texts in `locale`, else the last ones received while those are on their way (with their locale), else null. */
  current(locale: Locale): { locale: Locale; texts: CheckoutTexts } | null {
    const texts = this.#byLocale.get(locale);
    return texts ? { locale, texts } : this.#last;
  }

  /** "Try again": a request that failed may be made again. */
  retry(): void {
    this.#asked = undefined;
  }
}
