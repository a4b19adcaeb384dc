import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { loadApp } from '../../src/app.js';
import { renderRequest } from '../../src/pipeline.js';
import { STAYING_CLIENT } from '../../src/data/page-deadline.js';
import { AtollError } from '../../src/errors.js';
import { startApp, writeApp } from '../helpers/write-app.js';

// Message ids as `lit-localize extract` computes them (generateMsgId of @lit/localize).
const HELLO = 's63f0bfacf2c00f6b';
const WELCOME = 'h5691a3400e547493';
const ITEMS = 's125a86b2f45bbb25';

/** A component that renders four messages (string, html with a value, str, untranslated) and `n` items. */
const component = (tag: string) => `import { LitElement, html } from 'lit';
import { msg, str } from '@lit/localize';
export class C extends LitElement {
  static properties = { name: {}, count: { type: Number }, n: { type: Number } };
  render() {
    return html\`<p>\${msg('Hello')}</p><p>\${msg(html\`Welcome, <b>\${this.name}</b>!\`)}</p><p>\${msg(str\`\${this.count} items\`)}</p><p>\${msg('Untranslated')}</p>\${Array.from({ length: this.n ?? 0 }, () => html\`<i>\${msg('Hello')}</i>\`)}\`;
  }
}
customElements.define('${tag}', C);
/** ?gate=x waits for the test to release gate x (and says it arrived), so requests can finish in any order. */
export async function getServerData({ query }) {
  if (query.gate !== undefined) {
    const gate = globalThis.__localizeGates[query.gate];
    gate.arrived();
    await gate.released;
  }
  return { props: { name: query.name ?? 'Ann', count: 3, n: Number(query.n ?? 0) }, markup: { title: msg('Hello') } };
}
`;

const translations = {
  'locales/fr.ts': `// Do not modify this file by hand!
// Re-generate this file by running lit-localize
import { html } from 'lit';
import { str } from '@lit/localize';
export const templates = {
  '${HELLO}': \`Bonjour\`,
  '${WELCOME}': html\`Bienvenue, <b>\${0}</b> !\`,
  '${ITEMS}': str\`\${0} articles\`,
};
`,
  // German lacks two messages: they fall back to the source strings.
  'locales/de.ts': `import { html } from 'lit';
export const templates = {
  '${HELLO}': \`Hallo\`,
  '${WELCOME}': html\`Willkommen, <b>\${0}</b>!\`,
};
`,
};

function writeLocalizeApp(
  tag: string,
  files: Record<string, string> = translations,
  i18n: object = { defaultLocale: 'en', locales: ['en', 'fr', 'de'], uriPattern: 'path-prefix' },
): string {
  return writeApp({
    'app.config.json': { i18n, routes: [{ id: 'greet', path: '/', contentTemplate: 'page.html' }] },
    'page.html': `<${tag}></${tag}>`,
    [`components/${tag}.ts`]: component(tag),
    ...files,
  });
}

interface Gate {
  arrived: () => void;
  released: Promise<void>;
  hasArrived: Promise<void>;
  release: () => void;
}
function gate(): Gate {
  let arrived!: () => void;
  let release!: () => void;
  const hasArrived = new Promise<void>((resolve) => (arrived = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return { arrived, released, hasArrived, release };
}
const gates = () => ((globalThis as unknown as { __localizeGates: Record<string, Gate> }).__localizeGates ??= {});

const paragraphs = (body: string) => [...body.matchAll(/<p>(.*?)<\/p>/g)].map((m) => m[1]!.replace(/<!--.*?-->/g, ''));
const title = (body: string) => /<title>(.*?)<\/title>/.exec(body)?.[1];

describe('msg() on the server', () => {
  let server: FastifyInstance;
  beforeAll(async () => {
    ({ server } = await startApp(writeLocalizeApp('z-greet')));
  });
  afterAll(() => server.close());

  test.each([
    ['/', 'en', ['Hello', 'Welcome, <b>Ann</b>!', '3 items', 'Untranslated']],
    ['/fr/', 'fr', ['Bonjour', 'Bienvenue, <b>Ann</b> !', '3 articles', 'Untranslated']],
    ['/de/', 'de', ['Hallo', 'Willkommen, <b>Ann</b>!', '3 items', 'Untranslated']],
  ])('%s renders the locale %s, missing messages in the source locale', async (url, _locale, expected) => {
    const response = await server.inject(url);
    expect(response.statusCode).toBe(200);
    expect(paragraphs(response.body)).toEqual(expected);
    expect(title(response.body)).toBe(expected[0]);
  });

  test('values inside a translated template are still escaped', async () => {
    const response = await server.inject('/fr/?name=%3Cimg%20src%3Dx%3E');
    expect(paragraphs(response.body)[1]).toBe('Bienvenue, <b>&lt;img src=x&gt;</b> !');
  });

  test('concurrent requests whose hooks resolve in crossed order each render their own locale', async () => {
    Object.assign(gates(), { fr1: gate(), de1: gate(), en1: gate() });
    const fr = server.inject('/fr/?gate=fr1');
    const de = server.inject('/de/?gate=de1');
    const en = server.inject('/?gate=en1');
    await Promise.all([gates()['fr1']!.hasArrived, gates()['de1']!.hasArrived, gates()['en1']!.hasArrived]);
    // Started fr, de, en; finishing en, then fr, then de.
    gates()['en1']!.release();
    expect(paragraphs((await en).body)[0]).toBe('Hello');
    gates()['fr1']!.release();
    const frBody = (await fr).body;
    gates()['de1']!.release();
    const deBody = (await de).body;
    expect([paragraphs(frBody), title(frBody)]).toEqual([['Bonjour', 'Bienvenue, <b>Ann</b> !', '3 articles', 'Untranslated'], 'Bonjour']);
    expect([paragraphs(deBody), title(deBody)]).toEqual([['Hallo', 'Willkommen, <b>Ann</b>!', '3 items', 'Untranslated'], 'Hallo']);
  });
});

test('streamed pages pulled in alternation, outside any request, keep each its locale at every step', async () => {
  const app = await loadApp(writeLocalizeApp('z-stream'), { mode: 'production', ssrTimeoutMs: 5000, withoutPageCache: true, streamMinChars: 0 });
  const request = (url: string) => ({ method: 'GET', url, headers: {}, client: STAYING_CLIENT, log: { error: () => {}, warn: () => {} } });
  // 3,000 items make each page several 16 KB chunks; the test pulls one chunk of each in turn.
  const [fr, de, en] = await Promise.all(['/fr/?n=3000', '/de/?n=3000', '/?n=3000'].map((url) => renderRequest(app, request(url))));
  const streams = [fr, de, en].map((page) => {
    expect(typeof page!.body === 'string' || Buffer.isBuffer(page!.body)).toBe(false);
    return (page!.body as Readable)[Symbol.asyncIterator]();
  });
  const bodies = ['', '', ''];
  let pulls = 0;
  for (let open = [0, 1, 2]; open.length > 0; ) {
    const next: number[] = [];
    for (const i of open) {
      const chunk = await streams[i]!.next();
      pulls++;
      if (chunk.done === true) continue;
      bodies[i] += String(chunk.value);
      next.push(i);
    }
    open = next;
  }
  expect(pulls).toBeGreaterThan(9);
  const items = (body: string) => [...body.matchAll(/<i>(?:<!--.*?-->)*([^<]*)(?:<!--.*?-->)*<\/i>/g)].map((m) => m[1]);
  expect(new Set(items(bodies[0]!))).toEqual(new Set(['Bonjour']));
  expect(new Set(items(bodies[1]!))).toEqual(new Set(['Hallo']));
  expect(new Set(items(bodies[2]!))).toEqual(new Set(['Hello']));
  expect(items(bodies[0]!)).toHaveLength(3000);
  expect(paragraphs(bodies[0]!).slice(0, 3)).toEqual(['Bonjour', 'Bienvenue, <b>Ann</b> !', '3 articles']);
});

test('without a locales/ folder msg() returns the source strings in every locale', async () => {
  const { server } = await startApp(writeLocalizeApp('z-plain', {}));
  expect(paragraphs((await server.inject('/fr/')).body)).toEqual(['Hello', 'Welcome, <b>Ann</b>!', '3 items', 'Untranslated']);
  await server.close();
});

test.each([
  ['a file for the source locale', { 'locales/en.ts': 'export const templates = {};' }, /locales\/en\.ts: "en" is i18n\.defaultLocale/],
  ['a file for a locale the app does not list', { 'locales/es.ts': 'export const templates = {};' }, /locales\/es\.ts: "es" is not in i18n\.locales \[en, fr, de\]/],
  ['a module without templates', { 'locales/fr.ts': 'export const messages = {};' }, /locales\/fr\.ts: it exports no `templates` object \(found undefined\)/],
  [
    'two files for one locale',
    { 'locales/fr.js': 'export const templates = {};', 'locales/fr.ts': 'export const templates = {};' },
    /locales\/fr\.ts: locale "fr" has another file/,
  ],
])('%s is ATOLL_TRANSLATIONS_INVALID at startup', async (_what, files, message) => {
  const error = await loadApp(writeLocalizeApp('z-bad', files), { mode: 'production', ssrTimeoutMs: 5000 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(AtollError.is(error) && error.code).toBe('ATOLL_TRANSLATIONS_INVALID');
  expect((error as Error).message).toMatch(message);
});
