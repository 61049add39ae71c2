import type { Locale } from '@payment-checkout/core/locale';
import { LANGUAGE_NAMES, type StorefrontTexts, TEXTS, spokenLocale } from './i18n.ts';

/**
 * The shopper's language and theme on the shop's pages, chosen in the header and kept in localStorage from page to
 * page (the gateways send the shopper back to the result page with nothing but a payment id). Imported first by
 * each shopper's page, before the element is defined: `<payment-checkout>` has no `locale` attribute, so it speaks
 * the page's `<html lang>`, which it reads when it starts.
 */

const LANGUAGE_KEY = 'siam-market.language';
const THEME_KEY = 'siam-market.theme';

type Theme = keyof StorefrontTexts['themes'];
const THEMES = Object.keys(TEXTS.en.themes) as Theme[];
/** The element's `theme` for each: none follows the device's scheme; the shop's brand is drawn on the light one. */
const ELEMENT_SCHEME: Record<Theme, 'light' | 'dark' | null> = { auto: null, light: 'light', dark: 'dark', brand: 'light' };

/** localStorage, when the browser allows it (it throws when storage is blocked): a choice then lasts one page. */
function recalled(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function remember(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage blocked: the choice holds on this page only.
  }
}

/** The shopper's choice, else the first of the browser's languages the shop speaks, else English. */
function chosenLocale(): Locale {
  return [recalled(LANGUAGE_KEY), ...navigator.languages].map(spokenLocale).find((locale) => locale !== undefined) ?? 'en';
}

function chosenTheme(): Theme {
  const theme = recalled(THEME_KEY);
  return THEMES.find((known) => known === theme) ?? 'auto';
}

/** The page (style.css reads `data-theme`) and every `<payment-checkout>` on it take the theme. */
function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  const scheme = ELEMENT_SCHEME[theme];
  for (const element of document.querySelectorAll('payment-checkout')) {
    if (scheme) element.setAttribute('theme', scheme);
    else element.removeAttribute('theme');
  }
}

/** The page's fixed texts: `data-text` names the text of an element, `data-label` its accessible name. */
function translatePage(texts: StorefrontTexts): void {
  for (const element of document.querySelectorAll<HTMLElement>('[data-text]')) element.textContent = String(texts[element.dataset.text as keyof StorefrontTexts]);
  for (const element of document.querySelectorAll<HTMLElement>('[data-label]')) element.setAttribute('aria-label', String(texts[element.dataset.label as keyof StorefrontTexts]));
}

/** A labelled `<select>` for the header, the two kept on one line. */
function preferenceSelect(id: string, label: string, options: HTMLOptionElement[]): { preference: HTMLElement; select: HTMLSelectElement } {
  const caption = document.createElement('label');
  caption.htmlFor = id;
  caption.textContent = label;
  const select = document.createElement('select');
  select.id = id;
  select.append(...options);
  const preference = document.createElement('span');
  preference.className = 'preference';
  preference.append(caption, select);
  return { preference, select };
}

/**
 * The language switch: a choice and a button that applies it. A new language loads the page again, so it waits to
 * be asked: the arrow keys (which change a closed select, firing `change`) only look through the languages (WCAG 3.2.2).
 */
function languageForm(locale: Locale, texts: StorefrontTexts): HTMLElement {
  const languages = (Object.keys(LANGUAGE_NAMES) as Locale[]).map((code) => {
    const option = new Option(LANGUAGE_NAMES[code], code, false, code === locale);
    option.lang = code;
    return option;
  });
  const { preference, select } = preferenceSelect('language', texts.language, languages);
  const apply = document.createElement('button');
  apply.type = 'submit';
  apply.textContent = texts.applyLanguage;
  const form = document.createElement('form');
  form.className = 'preference';
  form.append(preference, apply);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (select.value === locale) return;
    remember(LANGUAGE_KEY, select.value);
    // The element and the page's own texts are worded once, as the page loads.
    location.reload();
  });
  return form;
}

function showSwitches(locale: Locale, theme: Theme, texts: StorefrontTexts): void {
  const themes = THEMES.map((code) => new Option(texts.themes[code], code, false, code === theme));
  const { preference, select } = preferenceSelect('theme', texts.theme, themes);
  // A theme only recolours the page, the focus staying where it is: it applies as it is chosen.
  select.addEventListener('change', () => {
    remember(THEME_KEY, select.value);
    applyTheme(select.value as Theme);
  });
  document.querySelector('#preferences')?.replaceChildren(languageForm(locale, texts), preference);
}

const locale = chosenLocale();
const theme = chosenTheme();
document.documentElement.lang = locale;
applyTheme(theme);
translatePage(TEXTS[locale]);
showSwitches(locale, theme, TEXTS[locale]);
