import { writeApp } from './write-app.js';

/** One design system as a test app uses it: the modules it imports and the markup of its root. */
export interface DesignSystem {
  readonly name: string;
  /** The root component's tag. */
  readonly root: string;
  readonly imports: readonly string[];
  /** The root's template: 4–6 of the library's components, with light DOM and slots. */
  readonly markup: string;
  readonly tags: readonly string[];
  /** What a user clicks to toggle #check (Carbon's host is not the click target; its label is). */
  readonly toggle: string;
  /** Server markup that only slot detection from the light DOM produces (a prefix slot seen, options copied from children). */
  readonly slotsDetected?: readonly RegExp[];
}

export const DESIGN_SYSTEMS: readonly DesignSystem[] = [
  {
    name: 'Web Awesome 3.14',
    root: 'ds-webawesome',
    imports: ['button', 'input', 'checkbox', 'switch', 'card', 'badge'].map((c) => `@awesome.me/webawesome/dist/components/${c}/${c}.js`),
    markup:
      '<wa-button id="act" variant="brand">Save</wa-button><wa-input id="field" label="Name"></wa-input><wa-checkbox id="check">Agree</wa-checkbox><wa-switch>Dark</wa-switch><wa-card><span slot="header">Card</span>Body</wa-card><wa-badge>3</wa-badge>',
    toggle: '#check',
    tags: ['wa-button', 'wa-input', 'wa-checkbox', 'wa-switch', 'wa-card', 'wa-badge'],
  },
  {
    name: 'Material Web 2.5',
    root: 'ds-material',
    imports: ['button/filled-button.js', 'textfield/outlined-text-field.js', 'checkbox/checkbox.js', 'switch/switch.js', 'slider/slider.js', 'chips/assist-chip.js'].map(
      (m) => `@material/web/${m}`,
    ),
    markup:
      '<md-filled-button id="act">Save</md-filled-button><md-outlined-text-field id="field" label="Name"></md-outlined-text-field><md-checkbox id="check"></md-checkbox><md-switch></md-switch><md-slider></md-slider><md-assist-chip label="Chip"></md-assist-chip>',
    toggle: '#check',
    tags: ['md-filled-button', 'md-outlined-text-field', 'md-checkbox', 'md-switch', 'md-slider', 'md-assist-chip'],
  },
  {
    name: 'Carbon 2.63',
    root: 'ds-carbon',
    imports: ['button', 'text-input', 'checkbox', 'toggle', 'select', 'modal', 'tag'].map((c) => `@carbon/web-components/es/components/${c}/index.js`),
    markup:
      '<cds-button id="act">Save</cds-button><cds-text-input id="field" label="Name"></cds-text-input><cds-checkbox id="check">Agree</cds-checkbox><cds-toggle label-text="Dark"></cds-toggle><cds-select label-text="Size"><cds-select-item value="s">Small</cds-select-item><cds-select-item value="l">Large</cds-select-item></cds-select><cds-tag>New</cds-tag><cds-modal><cds-modal-header><cds-modal-heading>Title</cds-modal-heading></cds-modal-header></cds-modal>',
    toggle: '#check label',
    slotsDetected: [/<option\s+class="cds--select-option"[^>]*value="s">\s*<!--lit-part-->Small<!--\/lit-part-->\s*<\/option>/, /<div[^>]*aria-label="Title"/],
    tags: ['cds-button', 'cds-text-input', 'cds-checkbox', 'cds-toggle', 'cds-select', 'cds-select-item', 'cds-tag', 'cds-modal', 'cds-modal-header', 'cds-modal-heading'],
  },
  {
    name: 'Shoelace 2.20',
    root: 'ds-shoelace',
    imports: ['button', 'input', 'checkbox', 'switch', 'card', 'badge'].map((c) => `@shoelace-style/shoelace/dist/components/${c}/${c}.js`),
    markup:
      '<sl-button id="act" variant="primary"><span slot="prefix">+</span>Save</sl-button><sl-input id="field" label="Name"></sl-input><sl-checkbox id="check">Agree</sl-checkbox><sl-switch>Dark</sl-switch><sl-card><span slot="header">Card</span>Body</sl-card><sl-badge>3</sl-badge>',
    toggle: '#check',
    tags: ['sl-button', 'sl-input', 'sl-checkbox', 'sl-switch', 'sl-card', 'sl-badge'],
    slotsDetected: [/class="[^"]*button--has-prefix/, /class="[^"]*card--has-header/],
  },
];

/**
 * One app with a route per design system: /<root tag> renders the system's root as an island,
 * whose template holds the library's components (a click counter on #act shows interaction).
 */
export function writeDesignSystemApp(extraConfig: Record<string, unknown> = {}): string {
  const files: Record<string, string | object> = {
    'app.config.json': {
      pageCache: { enabled: false },
      ...extraConfig,
      routes: DESIGN_SYSTEMS.map((ds) => ({ id: ds.root, path: `/${ds.root}`, contentTemplate: `${ds.root}.html` })),
    },
  };
  for (const ds of DESIGN_SYSTEMS) {
    files[`${ds.root}.html`] = `<${ds.root} hydrate></${ds.root}>`;
    files[`components/${ds.root}.ts`] = `import { LitElement, html } from 'lit';
${ds.imports.map((m) => `import '${m}';`).join('\n')}
customElements.define('${ds.root}', class extends LitElement {
  static properties = { clicks: { state: true } };
  constructor() { super(); this.clicks = 0; }
  render() { return html\`<div @click=\${(e) => { if (e.target.closest?.('#act')) this.clicks++; }}>${ds.markup}</div><output>\${this.clicks}</output>\`; }
});
`;
  }
  return writeApp(files);
}
