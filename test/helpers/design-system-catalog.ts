import { writeApp } from './write-app.js';

/** One component of a catalog: the module that defines it and markup with typical light DOM. */
export interface CatalogEntry {
  readonly tag: string;
  readonly module: string;
  readonly markup: string;
}

const sl = (name: string, markup: string, tag = `sl-${name}`): CatalogEntry => ({ tag, module: `@shoelace-style/shoelace/dist/components/${name}/${name}.js`, markup });
const cds = (dir: string, tag: string, markup: string): CatalogEntry => ({ tag, module: `@carbon/web-components/es/components/${dir}/index.js`, markup });

/** Shoelace 2.20 and Carbon 2.63 components as an app uses them, each in its own root. */
export const CATALOG: readonly CatalogEntry[] = [
  sl('alert', '<sl-alert open>Saved</sl-alert>'),
  sl('avatar', '<sl-avatar label="Ada"></sl-avatar>'),
  sl('badge', '<sl-badge>3</sl-badge>'),
  sl('breadcrumb', '<sl-breadcrumb><span>Home</span></sl-breadcrumb>'),
  sl('button', '<sl-button><span slot="prefix">+</span>Save</sl-button>'),
  sl('button-group', '<sl-button-group label="Actions"><span>a</span></sl-button-group>'),
  sl('card', '<sl-card><span slot="header">Title</span>Body</sl-card>'),
  sl('checkbox', '<sl-checkbox>Agree</sl-checkbox>'),
  sl('details', '<sl-details summary="More">Hidden</sl-details>'),
  sl('dialog', '<sl-dialog label="Hi">Body<span slot="footer">x</span></sl-dialog>'),
  sl('divider', '<sl-divider></sl-divider>'),
  sl('drawer', '<sl-drawer label="Menu">Body</sl-drawer>'),
  sl('input', '<sl-input label="Name"></sl-input>'),
  sl('menu', '<sl-menu><span>Item</span></sl-menu>'),
  sl('progress-bar', '<sl-progress-bar value="40"></sl-progress-bar>'),
  sl('progress-ring', '<sl-progress-ring value="40"></sl-progress-ring>'),
  sl('radio-group', '<sl-radio-group label="Size" value="s"><span>s</span></sl-radio-group>'),
  sl('range', '<sl-range label="Volume"></sl-range>'),
  sl('rating', '<sl-rating></sl-rating>'),
  sl('select', '<sl-select label="Size"><span>s</span></sl-select>'),
  sl('skeleton', '<sl-skeleton></sl-skeleton>'),
  sl('spinner', '<sl-spinner></sl-spinner>'),
  sl('switch', '<sl-switch>Dark</sl-switch>'),
  sl('tag', '<sl-tag>New</sl-tag>'),
  sl('textarea', '<sl-textarea label="Notes"></sl-textarea>'),
  sl('tooltip', '<sl-tooltip content="Hint"><span>?</span></sl-tooltip>'),
  cds('accordion', 'cds-accordion', '<cds-accordion><cds-accordion-item title="One">Body</cds-accordion-item></cds-accordion>'),
  cds('breadcrumb', 'cds-breadcrumb', '<cds-breadcrumb><cds-breadcrumb-item><cds-breadcrumb-link href="/">Home</cds-breadcrumb-link></cds-breadcrumb-item></cds-breadcrumb>'),
  cds('button', 'cds-button', '<cds-button>Save</cds-button>'),
  cds('checkbox', 'cds-checkbox', '<cds-checkbox>Agree</cds-checkbox>'),
  cds('dropdown', 'cds-dropdown', '<cds-dropdown title-text="Size"><cds-dropdown-item value="s">Small</cds-dropdown-item></cds-dropdown>'),
  cds('link', 'cds-link', '<cds-link href="/">Home</cds-link>'),
  cds('modal', 'cds-modal', '<cds-modal><cds-modal-header><cds-modal-heading>Title</cds-modal-heading></cds-modal-header><cds-modal-body>Body</cds-modal-body></cds-modal>'),
  cds('notification', 'cds-inline-notification', '<cds-inline-notification title="Saved"></cds-inline-notification>'),
  cds('number-input', 'cds-number-input', '<cds-number-input label="Count"></cds-number-input>'),
  cds('progress-bar', 'cds-progress-bar', '<cds-progress-bar label="Load" value="40"></cds-progress-bar>'),
  cds(
    'radio-button',
    'cds-radio-button-group',
    '<cds-radio-button-group legend-text="Size"><cds-radio-button label-text="S" value="s"></cds-radio-button></cds-radio-button-group>',
  ),
  cds('search', 'cds-search', '<cds-search label-text="Search"></cds-search>'),
  cds('select', 'cds-select', '<cds-select label-text="Size"><cds-select-item value="s">Small</cds-select-item></cds-select>'),
  cds('skeleton-text', 'cds-skeleton-text', '<cds-skeleton-text></cds-skeleton-text>'),
  cds('slider', 'cds-slider', '<cds-slider label-text="Volume" max="10"></cds-slider>'),
  cds('tabs', 'cds-tabs', '<cds-tabs value="a"><cds-tab value="a">A</cds-tab><cds-tab value="b">B</cds-tab></cds-tabs>'),
  cds('tag', 'cds-tag', '<cds-tag>New</cds-tag>'),
  cds('text-input', 'cds-text-input', '<cds-text-input label="Name"></cds-text-input>'),
  cds('textarea', 'cds-textarea', '<cds-textarea label="Notes"></cds-textarea>'),
  cds('tile', 'cds-tile', '<cds-tile>Body</cds-tile>'),
  cds('toggle', 'cds-toggle', '<cds-toggle label-text="Dark"></cds-toggle>'),
  cds('tooltip', 'cds-tooltip', '<cds-tooltip><button>?</button><cds-tooltip-content>Hint</cds-tooltip-content></cds-tooltip>'),
];

/** The root of one catalog entry: `cat-<tag>`. */
export const catalogRoot = (entry: CatalogEntry) => `cat-${entry.tag}`;

/** One route per entry (/cat-<tag>), each a hydrated root that renders the entry's markup. */
export function writeCatalogApp(): string {
  const files: Record<string, string | object> = {
    'app.config.json': {
      pageCache: { enabled: false },
      routes: CATALOG.map((e) => ({ id: catalogRoot(e), path: `/${catalogRoot(e)}`, contentTemplate: `${catalogRoot(e)}.html` })),
    },
  };
  for (const entry of CATALOG) {
    const root = catalogRoot(entry);
    files[`${root}.html`] = `<${root} hydrate></${root}>`;
    files[`components/${root}.ts`] = `import { LitElement, html } from 'lit';
import '${entry.module}';
customElements.define('${root}', class extends LitElement { render() { return html\`${entry.markup}\`; } });
`;
  }
  return writeApp(files);
}
