import { describe, expect, test } from 'vitest';
import { litComponent, startApp, writeApp } from '../helpers/write-app.js';
import { AtollError } from '../../src/errors.js';
import { rawGet } from '../helpers/raw-http.js';

/** Tags here are unique to this file (one custom element registry per test process). */
const throwing = litComponent('v-boom', { render: 'x', extra: "export async function getServerData() { throw new Error('secret <b>detail</b>'); }" });
const echo = litComponent('v-echo', {
  properties: 'info: { attribute: false }',
  render: '${this.info}',
  extra: "export async function getServerData(c) { return { props: { info: c.basePath + '|' + c.url }, ...(c.query.go ? { redirect: { destination: c.query.go } } : {}) }; }",
});

describe('an app with basePath and no error routes', () => {
  const root = writeApp({
    'app.config.json': {
      basePath: '/shop',
      routes: [
        { id: 'echo', path: '/page/:p', contentTemplate: 'templates/echo.html' },
        { id: 'boom', path: '/boom', contentTemplate: 'templates/boom.html' },
        { id: 'root-component', path: '/rc', rootComponent: 'v-echo', properties: { title: 'From <config>' } },
      ],
    },
    'templates/echo.html': '<v-echo></v-echo>',
    'templates/boom.html': '<v-boom></v-boom>',
    'components/v-boom.ts': throwing,
    'components/v-echo.ts': echo,
    'public/hello.txt': 'hello',
    'public/.env': 'SECRET=1',
  });

  test('routes and assets live under basePath only', async () => {
    const { server } = await startApp(root);
    const page = await server.inject('/shop/page/a?x=1');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/shop|/page/a?x=1');
    expect((await server.inject('/page/a')).statusCode).toBe(404);
    expect((await server.inject('/shopping/page/a')).statusCode).toBe(404);
    expect((await server.inject('/shop/public/hello.txt')).body).toBe('hello');
    expect((await server.inject('/public/hello.txt')).statusCode).toBe(404);
    expect((await server.inject('/shop/public/.env')).statusCode).toBe(404);
    const redirect = await server.inject('/shop/page/a?go=/page/b');
    expect(redirect.headers['location']).toBe('/shop/page/b');
    await server.close();
  });

  test('HEAD answers with headers only', async () => {
    const { server } = await startApp(root);
    const head = await server.inject({ method: 'HEAD', url: '/shop/page/a' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(head.body).toBe('');
    await server.close();
  });

  test('a rootComponent route uses the default layout with an escaped title', async () => {
    const { server } = await startApp(root);
    const { body } = await server.inject('/shop/rc');
    expect(body).toBe(`<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>From &lt;config&gt;</title>
</head>
<body><!--lit-part LEic88Qb3ms=-->
<!--lit-node 0--><v-echo ><template shadowroot="open" shadowrootmode="open"><!--lit-part BRUAAAUVAAA=--><!--lit-part-->/shop|/rc<!--/lit-part--><?><!--/lit-part--></template></v-echo>
<!--/lit-part--></body>
</html>
`);
    await server.close();
  });

  test('production: a failing page is a generic 500 without the message; 404 is a generic page', async () => {
    const { server } = await startApp(root);
    const boom = await server.inject('/shop/boom');
    expect(boom.statusCode).toBe(500);
    expect(boom.body).toBe(
      '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>500 Internal Server Error</title>\n</head>\n<body>\n<h1>500 Internal Server Error</h1>\n</body>\n</html>\n',
    );
    const missing = await server.inject('/shop/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('<h1>404 Not Found</h1>');
    await server.close();
  });

  test('development: the 500 page shows the code, message, hint and stack, escaped', async () => {
    const { server } = await startApp(root, { mode: 'development' });
    const boom = await server.inject('/shop/boom');
    expect(boom.statusCode).toBe(500);
    expect(boom.headers['cache-control']).toBe('no-store');
    expect(boom.body).toContain('<h2>ATOLL_DATA_HOOK_FAILED: getServerData failed</h2>');
    expect(boom.body).toContain('getServerData of &lt;v-boom&gt; on route &quot;boom&quot; threw: secret &lt;b&gt;detail&lt;/b&gt;');
    expect(boom.body).toContain('<strong>Hint:</strong>');
    expect(boom.body).not.toContain('<b>detail</b>');
    await server.close();
  });
});

describe('startup errors name the file, route and tag', () => {
  const startError = async (files: Record<string, string | object>): Promise<AtollError> => {
    try {
      await startApp(writeApp(files));
    } catch (error) {
      if (AtollError.is(error)) return error;
      throw error;
    }
    throw new Error('expected startup to fail');
  };

  test('template problems are reported together', async () => {
    const error = await startError({
      'app.config.json': {
        routes: [
          { id: 'a', path: '/a', contentTemplate: 'templates/a.html', layoutTemplate: 'templates/bad-layout.html' },
          { id: 'b', path: '/b', contentTemplate: 'templates/b.html' },
          { id: 'c', path: '/c', rootComponent: 'v-nothing' },
        ],
      },
      'templates/a.html':
        '<v-plain hydrate="sometimes"></v-plain><v-plain hydrate="media()"></v-plain><v-plain hydrate="media((min-width: 1px)"></v-plain><v-plain hydrate="Interaction"></v-plain><x-unknown hydrate></x-unknown>',
      'templates/b.html': '<p class={{ title }}>{{ page.url }} {{ missing }}</p>',
      'templates/bad-layout.html': '<html><head><script>var t = "{{ page.title }}"</script></head><body>no slot</body></html>',
      'components/v-plain.ts': litComponent('v-plain', { render: 'plain' }),
    });
    expect(error.code).toBe('ATOLL_TEMPLATE_INVALID');
    expect(error.message.split('\n').slice(1)).toEqual([
      '  - templates/bad-layout.html (route "a"): {{ page.title }} is inside <script>, where HTML escaping does not apply; pass the value through a data hook instead',
      '  - templates/bad-layout.html (route "a"): the layout must contain {{{ body }}} exactly once inside <body> (found 0)',
      '  - templates/a.html (route "a") in templates/bad-layout.html: <v-plain hydrate="sometimes"> is not a known directive; use one of hydrate, hydrate="load", hydrate="visible", hydrate="idle", hydrate="interaction", hydrate="client-only", hydrate="media(<query>)" (a non-empty media query with balanced parentheses)',
      '  - templates/a.html (route "a") in templates/bad-layout.html: <v-plain hydrate="media()"> is not a known directive; use one of hydrate, hydrate="load", hydrate="visible", hydrate="idle", hydrate="interaction", hydrate="client-only", hydrate="media(<query>)" (a non-empty media query with balanced parentheses)',
      '  - templates/a.html (route "a") in templates/bad-layout.html: <v-plain hydrate="media((min-width: 1px)"> is not a known directive; use one of hydrate, hydrate="load", hydrate="visible", hydrate="idle", hydrate="interaction", hydrate="client-only", hydrate="media(<query>)" (a non-empty media query with balanced parentheses)',
      '  - templates/a.html (route "a") in templates/bad-layout.html: <v-plain hydrate="Interaction"> is not a known directive; use one of hydrate, hydrate="load", hydrate="visible", hydrate="idle", hydrate="interaction", hydrate="client-only", hydrate="media(<query>)" (a non-empty media query with balanced parentheses)',
      '  - templates/a.html (route "a") in templates/bad-layout.html: <x-unknown hydrate> has no module in components/ (expected components/x-unknown.ts); add it or remove the hydrate attribute',
      '  - templates/b.html (route "b"): {{ title }} is in an unquoted attribute value; quote the value',
      '  - templates/b.html (route "b"): {{ page.url }} changes per request; use it in the layout\'s <head>, or read it in getServerData',
      '  - templates/b.html (route "b"): {{ missing }} has no value; set it in the route\'s "properties"',
      '  - rootComponent <v-nothing> (route "c"): no module for <v-nothing> in components/ (expected components/v-nothing.ts)',
    ]);
  });

  test('a component that does not compile points at the file and line', async () => {
    const error = await startError({
      'app.config.json': { routes: [] },
      'components/v-broken.ts': 'export const x: number = ;\n',
    });
    expect(error.code).toBe('ATOLL_COMPONENT_BUILD_FAILED');
    expect(error.message).toMatch(/components\/v-broken\.ts:1:\d+: Unexpected ";"/);
  });

  test('a component that does not define its tag', async () => {
    const error = await startError({ 'app.config.json': { routes: [] }, 'components/v-silent.ts': 'export const nothing = 1;\n' });
    expect(error.code).toBe('ATOLL_COMPONENT_INVALID');
    expect(error.message).toMatch(/components\/v-silent\.ts \(<v-silent>\): it does not define <v-silent>$/);
  });

  test('helper modules: a name starting with _ or a folder without a hyphen is never taken for a component', async () => {
    const { server } = await startApp(
      writeApp({
        'app.config.json': { routes: [{ id: 'price', path: '/', contentTemplate: 'templates/price.html' }] },
        'templates/price.html': '<v-price></v-price>',
        // A hyphenated helper (a design system's import list, say) defines no element.
        'components/_ds-imports.ts': "export const CURRENCY = 'EUR';\n",
        'components/lib/format-price.ts': 'export const formatPrice = (cents: number): string => (cents / 100).toFixed(2);\n',
        'components/v-price.ts': `import { CURRENCY } from './_ds-imports.js';\nimport { formatPrice } from './lib/format-price.js';\n${litComponent('v-price', { render: '${formatPrice(1999)} ${CURRENCY}' })}`,
      }),
    );
    const response = await server.inject('/');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<!--lit-part-->19.99<!--/lit-part--> <!--lit-part-->EUR<!--/lit-part-->');
    await server.close();
  });

  test('a component whose getServerData is not a function', async () => {
    const error = await startError({ 'app.config.json': { routes: [] }, 'components/v-odd.ts': litComponent('v-odd', { render: 'x', extra: 'export const getServerData = 42;' }) });
    expect(error.code).toBe('ATOLL_COMPONENT_INVALID');
    expect(error.message).toContain('its export getServerData is a number, not a function');
  });

  test('a component whose renderEveryRequest is not a boolean', async () => {
    const error = await startError({
      'app.config.json': { routes: [] },
      'components/v-every.ts': litComponent('v-every', { render: 'x', extra: "export const renderEveryRequest = 'yes';" }),
    });
    expect(error.code).toBe('ATOLL_COMPONENT_INVALID');
    expect(error.message).toMatch(/components\/v-every\.ts \(<v-every>\): its export renderEveryRequest is a string, not true or false$/);
  });

  test('a tag defined by other code in the same process', async () => {
    const error = await startError({ 'app.config.json': { routes: [] }, 'components/v-echo.ts': echo.replace("'v-echo'", "'v-echo' /* other code */") });
    expect(error.code).toBe('ATOLL_COMPONENT_ALREADY_DEFINED');
  });
});

test('a URL echoed by the layout ({{ page.url }}) is escaped', async () => {
  const root = writeApp({
    'app.config.json': { routes: [{ id: 'u', path: '/u/:x', contentTemplate: 't.html', layoutTemplate: 'l.html' }] },
    't.html': '<p>body</p>',
    'l.html': '<!DOCTYPE html><html><head><link rel="canonical" href="{{ page.url }}"><meta property="og:url" content=\'{{ page.url }}\'></head><body>{{{ body }}}</body></html>',
  });
  const { server } = await startApp(root);
  await server.listen({ port: 0, host: '127.0.0.1' });
  // Sent verbatim over a socket: inject() would percent-encode the quotes and brackets.
  const { body } = await rawGet((server.server.address() as { port: number }).port, '/u/%22%3E%3Cscript%3E?q="><script>alert(1)</script>&r=\'');
  expect(body).toContain('<link rel="canonical" href="/u/%22%3E%3Cscript%3E?q=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;r=&#39;">');
  expect(body).toContain("content='/u/%22%3E%3Cscript%3E?q=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;r=&#39;'");
  expect(body).not.toContain('<script>');
  await server.close();
});

describe('component modules', () => {
  test('.js modules, folder modules with index.ts, and an app tsconfig with standard decorators', async () => {
    const { server } = await startApp(
      writeApp({
        'app.config.json': { routes: [{ id: 'm', path: '/', contentTemplate: 't.html' }] },
        't.html': '<v-js></v-js><v-folder></v-folder><v-std label="std"></v-std>',
        'components/v-js.js': "import { LitElement, html } from 'lit';\ncustomElements.define('v-js', class extends LitElement { render() { return html`js`; } });\n",
        'components/v-folder/index.ts':
          "import { LitElement, html } from 'lit';\nimport { part } from './part.js';\ncustomElements.define('v-folder', class extends LitElement { render() { return html`${part}`; } });\n",
        'components/v-folder/part.ts': "export const part: string = 'folder';\n",
        'tsconfig.json': { compilerOptions: { target: 'ES2022', experimentalDecorators: false, useDefineForClassFields: true } },
        'components/v-std.ts': `import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
@customElement('v-std')
export class VStd extends LitElement {
  @property() accessor label = 'none';
  override render() { return html\`<b>\${this.label}</b>\`; }
}
`,
      }),
    );
    const { body } = await server.inject('/');
    expect(body).toContain('<v-js ><template shadowroot="open" shadowrootmode="open"><!--lit-part');
    expect(body).toMatch(/<v-js >.*js<!--\/lit-part-->/);
    expect(body).toMatch(/<v-folder >.*folder/);
    expect(body).toContain('<b><!--lit-part-->std<!--/lit-part--></b>');
    await server.close();
  });
});
