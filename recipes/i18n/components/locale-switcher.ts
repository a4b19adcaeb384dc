import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GetServerData } from '../../../src/index.js';

interface Language {
  readonly locale: string;
  readonly label: string;
  readonly href: string;
}

const LANGUAGES: Readonly<Record<string, string>> = { en: 'English', fr: 'Français' };

/** Links to this page in every language, built with context.localePath from the template's `path`. */
@customElement('locale-switcher')
export class LocaleSwitcher extends LitElement {
  @property() current = '';
  @property({ attribute: false }) languages: readonly Language[] = [];

  override render() {
    return html`<nav>${this.languages.map((l) => (l.locale === this.current ? html`<strong>${l.label}</strong> ` : html`<a href=${l.href} hreflang=${l.locale}>${l.label}</a> `))}</nav>`;
  }
}

export const getServerData: GetServerData = ({ props, locale, basePath, localePath }) => ({
  props: {
    current: locale,
    languages: Object.entries(LANGUAGES).map(([code, label]) => ({ locale: code, label, href: basePath + localePath(props['path'] ?? '/', code) })),
  },
});
