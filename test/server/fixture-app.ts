import { litComponent, writeApp } from '../helpers/write-app.js';

/** One app exercising every feature of a page; tag names are unique to this fixture. */
export function writeFixtureApp(): string {
  const page = (id: string, path: string, template: string, extra: object = {}) => ({
    id,
    path,
    contentTemplate: `templates/${id}.html`,
    layoutTemplate: 'templates/layout.html',
    ...extra,
    _template: template,
  });
  const routes = [
    page(
      'static',
      '/static',
      '<t-static label="a&amp;b"></t-static>\n<t-static label="two"><span slot="extra">light</span></t-static>\n<foo-bar x="1"><b>third-party</b></foo-bar>',
    ),
    page('ctx', '/ctx/:id', '<t-data some-flag data-foo="bar" limit="10"></t-data>'),
    page('head', '/head', '<t-head></t-head><t-head-two></t-head-two>'),
    page('ttl', '/ttl', '<t-ttl></t-ttl>', { cache: { ttl: '1h' } }),
    page('slow', '/slow', '<t-slow></t-slow><t-static label="fast"></t-static>'),
    page('throw', '/throw', '<t-static label="x"></t-static><t-throw></t-throw>'),
    page('render-throw', '/render-throw', '<t-render-throw></t-render-throw>'),
    page('redirect', '/redirect', '<t-static label="first"></t-static><t-redirect></t-redirect><t-missing></t-missing>'),
    page('missing', '/missing', '<t-missing></t-missing>'),
    page('status', '/status', '<t-status></t-status>', { cache: { ttl: 60 } }),
    page(
      'island',
      '/island',
      '<t-island hydrate></t-island>\n<t-island hydrate="visible" hydrate-margin="50px" start="2"></t-island>\n<t-client hydrate="client-only" msg="hi"><p>loading</p></t-client>',
    ),
    page('headers', '/headers', '<t-headers></t-headers>', { cache: { ttl: 60 } }),
    page('shell', '/shell', '<t-island></t-island>', { bootstrap: { ssr: false } }),
    page('rest', '/files/*rest', '<t-data></t-data>'),
    page('optional', '/opt{/:id}', '<t-data></t-data>'),
    page('bad-props', '/bad-props', '<t-island hydrate></t-island>'),
    page('nested', '/nested', '<t-static label="outer"><t-static label="inner"></t-static></t-static>'),
  ];
  const files: Record<string, string | object> = {
    'app.config.json': {
      routes: routes.map(({ _template, ...route }) => route),
      errorRoutes: [
        { id: 'not-found', status: 404, contentTemplate: 'templates/404.html', layoutTemplate: 'templates/layout.html', properties: { title: 'Not found' } },
        { id: 'error', status: 500, contentTemplate: 'templates/500.html', properties: { title: 'Error' } },
      ],
      i18n: { defaultLocale: 'en-US', locales: ['en-US', 'fr', { id: 'de-DE' }] },
    },
    'templates/layout.html': '<!DOCTYPE html>\n<html lang="{{ page.locale }}">\n<head>\n<title>{{ page.title }}</title>\n</head>\n<body>\n{{{ body }}}\n</body>\n</html>\n',
    'templates/404.html': '<h1>Nothing here</h1>',
    'templates/500.html': '<h1>Sorry</h1>',
    'components/t-static.ts': litComponent('t-static', { properties: 'label: {}', render: '<p>${this.label}</p><slot></slot><slot name="extra"></slot>' }),
    'components/t-data.ts': litComponent('t-data', {
      properties: 'ctx: { attribute: false }',
      render: '<pre>${this.ctx}</pre>',
      extra: `export async function getServerData(c) {
        return { props: { ctx: JSON.stringify({ props: c.props, url: c.url, params: c.params, query: c.query, locale: c.locale, basePath: c.basePath, method: c.method, signal: c.signal instanceof AbortSignal, cache: typeof c.crossRequestCache.get }) } };
      }`,
    }),
    'components/t-head.ts': litComponent('t-head', {
      render: '<i>head</i>',
      extra: `export async function getServerData({ query }) {
        const p = query.payload ?? 'plain';
        return { markup: {
          title: p,
          meta: [{ name: 'description', content: p }, { property: 'og:title', content: p }, {}],
          links: [{ href: '/x?q=' + p, rel: 'preload', as: 'image', fetchpriority: 'high' }],
          scripts: [{ body: { '@type': 'Thing', name: p } }],
          styles: [{ body: 'body{content:"' + p + '"}', id: 's1' }],
        } };
      }`,
    }),
    'components/t-head-two.ts': litComponent('t-head-two', {
      render: '<i>two</i>',
      extra: `export async function getServerData() {
        return { markup: { title: 'second title loses', meta: [{ name: 'description', content: 'duplicate loses' }, { name: 'keywords', content: 'k' }] } };
      }`,
    }),
    'components/t-ttl.ts': litComponent('t-ttl', {
      render: 'ttl',
      extra: `export async function getServerData({ query }) {
        if (query.ttl === undefined) return {};
        return { cache: { ttl: /^-?[0-9.]+$/.test(query.ttl) && query.kind === 'number' ? Number(query.ttl) : query.ttl } };
      }`,
    }),
    'components/t-slow.ts': litComponent('t-slow', {
      render: 'slow',
      // ?late=1 reads context.signal only after the wait (when the deadline may have passed).
      // ?until=N ends the wait early once N of these hooks run at the same time.
      extra: `export async function getServerData(context) {
        const { query } = context;
        const early = query.late === undefined ? context.signal : undefined;
        globalThis.__slowActive = (globalThis.__slowActive ?? 0) + 1;
        globalThis.__slowMaxActive = Math.max(globalThis.__slowMaxActive ?? 0, globalThis.__slowActive);
        const end = Date.now() + Number(query.ms ?? 0);
        if (query.until === undefined) await new Promise((resolve) => setTimeout(resolve, Number(query.ms ?? 0)));
        else while (Date.now() < end && globalThis.__slowActive < Number(query.until)) await new Promise((resolve) => setTimeout(resolve, 2));
        globalThis.__slowActive -= 1;
        globalThis.__slowSignalAborted = (early ?? context.signal).aborted;
        globalThis.__slowSignalReason = (early ?? context.signal).reason;
        globalThis.__slowFinished = (globalThis.__slowFinished ?? 0) + 1;
        return {};
      }`,
    }),
    'components/t-throw.ts': litComponent('t-throw', {
      render: 'never',
      extra: `export async function getServerData({ query, crossRequestCache }) {
        if (query.kind === 'ttl') crossRequestCache.set('t-throw', 1, -5);
        if (query.kind === 'string') throw 'a string <b>thrown</b>';
        if (query.kind === 'sync') { throw new TypeError('sync <b>boom</b>'); }
        throw new Error('kaboom <b>x</b>');
      }`,
    }),
    'components/t-render-throw.ts': litComponent('t-render-throw', { render: '${(() => { throw new Error("render exploded"); })()}' }),
    'components/t-redirect.ts': litComponent('t-redirect', {
      render: 'r',
      extra: `export async function getServerData({ query }) { return { redirect: { destination: query.to ?? '/static', permanent: query.permanent === '1' } }; }`,
    }),
    'components/t-missing.ts': litComponent('t-missing', { render: 'm', extra: 'export async function getServerData() { return { notFound: true }; }' }),
    'components/t-status.ts': litComponent('t-status', {
      render: 's',
      extra: `export async function getServerData({ query }) {
        if (query.bad === 'header') return { headers: { 'x-evil': 'a\\r\\nset-cookie: x=1' } };
        if (query.bad === 'reserved') return { headers: { 'Cache-Control': 'public' } };
        if (query.bad === 'key') return { prop: 1 };
        if (query.cookie) return { headers: { 'set-cookie': 'a=1' }, cache: { ttl: 30 } };
        return { status: 503, headers: { 'x-from-hook': 'yes', 'retry-after': '10' } };
      }`,
    }),
    'components/t-island.ts': litComponent('t-island', {
      properties: 'start: { type: Number }, items: { attribute: false }, text: { attribute: false }',
      render: '<b>${this.start}</b><ul>${(this.items ?? []).map((i) => html`<li>${i}</li>`)}</ul><em>${this.text}</em>',
      extra: `export async function getServerData({ props, query, url }) {
        if (url.startsWith('/bad-props')) return { props: query.kind === 'cycle' ? (() => { const a = { n: 1 }; a.self = a; return { a }; })() : { fn: () => 1 } };
        return { props: { items: ['a', 'b'], text: query.text ?? 'plain' } };
      }`,
    }),
    'components/t-client.ts': litComponent('t-client', {
      properties: 'msg: {}',
      render: '<p>${this.msg}</p>',
      extra: `export async function getServerData({ props }) { return { props: { data: { fromServer: props.msg } } }; }`,
    }),
    'components/t-headers.ts': litComponent('t-headers', {
      properties: 'user: {}',
      render: '${this.user}',
      extra: `export async function getServerData({ headers }) { return { props: { user: headers['x-user'] ?? 'anon' } }; }`,
    }),
  };
  for (const route of routes) files[`templates/${route.id}.html`] = route._template;
  return writeApp(files);
}
