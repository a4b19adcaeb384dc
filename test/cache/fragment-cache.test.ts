import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startApp, writeApp } from '../helpers/write-app.js';

/**
 * One page, three roots: two <f-list> (a static root and an island, told apart by an attribute)
 * whose hook returns a TTL of 10 s, and <f-me>, which reads a cookie on every request. The page
 * is personal, so the page cache never holds it: every request assembles it, and only the
 * fragment cache can spare the lists their hook and their render. The test steers the hooks
 * through globalThis.__frag (a gate to hold them, a failure, a header read).
 */
interface Probe {
  calls: string[];
  renders: string[];
  me: number;
  gate?: Promise<void>;
  fail?: boolean;
  readHeaders?: boolean;
  noTtl?: boolean;
}
const probe = (): Probe => (globalThis as { __frag?: Probe }).__frag!;
let server: FastifyInstance;
let clock = 1_000_000;
const TOKEN = 'fragment-token';
/** Background refreshes finish when the machine gets to them: wait for them, bounded, not for 1 s. */
const WAIT = { timeout: 10_000, interval: 10 };
const purge = (body: unknown) =>
  server.inject({ method: 'POST', url: '/_atoll/purge', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });

const root = writeApp({
  'app.config.json': {
    i18n: { defaultLocale: 'en-US', locales: ['en-US', 'fr'] },
    routes: [
      { id: 'page', path: '/p/:id', contentTemplate: 'page.html', cache: { ttl: 60 } },
      { id: 'set', path: '/set/:value', contentTemplate: 'set.html' },
      { id: 'dep', path: '/dep', contentTemplate: 'dep.html', cache: { ttl: 60 } },
      { id: 'twin', path: '/twin/:id', contentTemplate: 'twin.html' },
    ],
    pageCache: { maxStale: '5s' },
    fragmentCache: { maxEntries: 50 },
  },
  'page.html': '<f-list kind="a"></f-list><f-list kind="b" hydrate></f-list><f-me></f-me>',
  'set.html': '<f-set></f-set>',
  'dep.html': '<f-dep></f-dep>',
  // Two tags with the same attributes, hook and answer: only the tag tells their fragments apart.
  'twin.html': '<f-list kind="a"></f-list><f-twin kind="a"></f-twin><f-me></f-me>',
  'components/f-twin.ts': `import { LitElement, html } from 'lit';
export class C extends LitElement {
  static properties = { kind: {}, items: {} };
  render() { return html\`<i>\${this.kind}</i>\`; }
}
customElements.define('f-twin', C);
export const getServerData = async ({ props }) => {
  globalThis.__frag.calls.push('twin');
  return { props: { items: props.kind }, cache: { ttl: 10 } };
};
`,
  'components/f-list.ts': `import { LitElement, html } from 'lit';
globalThis.__frag ??= { calls: [], renders: [], me: 0 };
export class C extends LitElement {
  static properties = { kind: {}, items: {} };
  render() { globalThis.__frag.renders.push(this.kind); return html\`<p>\${this.kind}: \${this.items}</p>\`; }
}
customElements.define('f-list', C);
export const getServerData = async (context) => {
  const t = globalThis.__frag;
  const { props, url, locale, query } = context;
  t.calls.push(props.kind);
  if (t.gate) await t.gate;
  if (t.fail) throw new Error('list backend down');
  if (t.readHeaders) void context.headers;
  const n = t.calls.length;
  return {
    props: { items: props.kind + '|' + url + '|' + locale + '|call ' + n },
    cache: { ...(t.noTtl ? {} : { ttl: 10 }), tags: ['list'], ...(query.shared ? { key: 'shared' } : {}) },
  };
};
`,
  'components/f-me.ts': `import { LitElement, html } from 'lit';
export class C extends LitElement {
  static properties = { name: {} };
  render() { return html\`<b>hi \${this.name}</b>\`; }
}
customElements.define('f-me', C);
export const getServerData = ({ cookies }) => { globalThis.__frag.me += 1; return { props: { name: cookies.name ?? 'guest' }, cache: { ttl: 10 } }; };
`,
  'components/f-dep.ts': `import { LitElement, html } from 'lit';
export class C extends LitElement {
  static properties = { v: {} };
  render() { return html\`v=\${this.v}\`; }
}
customElements.define('f-dep', C);
export const getServerData = async ({ crossRequestCache }) => {
  globalThis.__frag.calls.push('dep');
  const v = String(crossRequestCache.get('catalog') ?? 'none');
  if (globalThis.__frag.gate) await globalThis.__frag.gate;
  return { props: { v }, cache: { ttl: 30 } };
};
`,
  'components/f-set.ts': `import { LitElement, html } from 'lit';
export class C extends LitElement { render() { return html\`set\`; } }
customElements.define('f-set', C);
export const getServerData = ({ params, crossRequestCache }) => {
  if (params.value === 'delete') crossRequestCache.delete('catalog');
  else crossRequestCache.set('catalog', params.value, 600);
  return {};
};
`,
});

const get = (url: string, headers: Record<string, string> = {}) => server.inject({ url, headers: { cookie: 'name=ann', ...headers } });
const lists = (body: string) => [...body.matchAll(/<p>(?:<!--[^>]*-->)*([ab])(?:<!--[^>]*-->)*: (?:<!--[^>]*-->)*([^<]*)/g)].map((m) => `${m[1]}: ${m[2]}`);
/** Releases a gate the test closed, returning the hooks it held. */
function closeGate(): () => void {
  let open!: () => void;
  probe().gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return () => {
    probe().gate = undefined;
    open();
  };
}

beforeAll(async () => {
  ({ server } = await startApp(root, { now: () => clock, purgeToken: TOKEN }));
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  // Each test starts on its own URLs with a clock far past every earlier TTL.
  clock += 1_000_000;
  Object.assign(probe() ?? {}, { fail: false, readHeaders: false, noTtl: false, gate: undefined });
});

describe('the fragment cache', () => {
  test("within the TTL a root's hook is not called and it is not rendered, while the personal root runs every time", async () => {
    const first = await get('/p/1');
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('private, max-age=10');
    const { calls, renders } = probe();
    const [callsBefore, rendersBefore, meBefore] = [calls.length, renders.length, probe().me];
    const again = await get('/p/1', { cookie: 'name=bob' });
    const third = await get('/p/1', { cookie: 'name=cy' });
    expect(calls.length).toBe(callsBefore);
    expect(renders.length).toBe(rendersBefore);
    expect(probe().me).toBe(meBefore + 2);
    expect(lists(again.body)).toEqual(lists(first.body));
    expect(third.body).toBe(first.body.replace('hi <!--lit-part-->ann', 'hi <!--lit-part-->cy'));
    expect(third.body).toContain('hi <!--lit-part-->cy');
    // The cached island carries its props: the same props script as when it rendered.
    const script = /<script type="application\/json" data-atoll-props="1">[^<]*<\/script>/.exec(first.body)?.[0];
    expect(script).toContain('"items":"b|/p/1|en-US|call');
    expect(third.body).toContain(script);
  });

  test('the key separates template attributes, path, query (sorted) and locale', async () => {
    await get('/p/2?x=1&y=2');
    const seen = probe().calls.length;
    // Same query in another order: the same fragments.
    await get('/p/2?y=2&x=1');
    expect(probe().calls.length).toBe(seen);
    const other = await get('/p/2?x=2&y=2');
    expect(probe().calls.slice(seen)).toEqual(['a', 'b']);
    expect(lists(other.body)[0]).toMatch(/^a: a\|\/p\/2\?x=2&amp;y=2\|en-US\|/);
    const french = await get('/p/2?x=1&y=2', { 'accept-language': 'fr' });
    expect(probe().calls.slice(seen)).toEqual(['a', 'b', 'a', 'b']);
    expect(lists(french.body).map((l) => l.split('|')[2])).toEqual(['fr', 'fr']);
    await get('/p/3?x=1&y=2');
    expect(probe().calls.length).toBe(seen + 6);
  });

  test('the key separates tags: two roots with the same attributes on one page keep their own fragments', async () => {
    const calls = probe().calls.length;
    const first = await get('/twin/1');
    expect(probe().calls.slice(calls).sort()).toEqual(['a', 'twin']);
    const again = await get('/twin/1', { cookie: 'name=bob' });
    expect(probe().calls.length).toBe(calls + 2);
    expect(again.body).toBe(first.body.replace('hi <!--lit-part-->ann', 'hi <!--lit-part-->bob'));
    expect(again.body).toMatch(/<f-list\s+kind="a"><template shadowroot="open" shadowrootmode="open">(?:<!--[^>]*-->)*<p>/);
    expect(again.body).toMatch(/<f-twin\s+kind="a"><template shadowroot="open" shadowrootmode="open">(?:<!--[^>]*-->)*<i>/);
  });

  test('cache.key still separates locales: a French request does not get the English fragment', async () => {
    await get('/p/key-en?shared=1');
    const calls = probe().calls.length;
    const french = await get('/p/key-fr?shared=1', { 'accept-language': 'fr' });
    expect(probe().calls.length).toBe(calls + 2);
    expect(lists(french.body).map((l) => l.split('|')[2])).toEqual(['fr', 'fr']);
    // Another French URL under the same key reuses the French fragments' render.
    const renders = probe().renders.length;
    const again = await get('/p/key-fr2?shared=1', { 'accept-language': 'fr' });
    expect(probe().renders.length).toBe(renders);
    expect(lists(again.body)).toEqual(lists(french.body));
  });

  test('cache.key replaces path and query: one fragment serves many URLs', async () => {
    const one = await get('/p/4?shared=1');
    const calls = probe().calls.length;
    const renders = probe().renders.length;
    // Another URL calls the hook once (its key is only known from its answer), then reuses the render.
    const two = await get('/p/5?shared=1&z=9');
    expect(probe().calls.length).toBe(calls + 2);
    expect(probe().renders.length).toBe(renders);
    expect(lists(two.body)).toEqual(lists(one.body));
    expect(lists(two.body)[0]).toMatch(/^a: a\|\/p\/4\?shared=1\|/);
    await get('/p/5?shared=1&z=9');
    expect(probe().calls.length).toBe(calls + 2);
  });

  test('roots whose hooks read headers, failed or set no TTL are never stored', async () => {
    for (const flag of ['readHeaders', 'noTtl'] as const) {
      probe()[flag] = true;
      await get(`/p/${flag}`);
      const calls = probe().calls.length;
      await get(`/p/${flag}`);
      expect(probe().calls.length, flag).toBe(calls + 2);
      probe()[flag] = false;
    }
    probe().fail = true;
    expect((await get('/p/fail')).statusCode).toBe(500);
    probe().fail = false;
    const calls = probe().calls.length;
    expect((await get('/p/fail')).statusCode).toBe(200);
    expect(probe().calls.length).toBe(calls + 2);
  });

  test('past its TTL a fragment is used stale while one background call refreshes it, and the page is not stored', async () => {
    const before = lists((await get('/p/6')).body);
    clock += 11_000;
    const release = closeGate();
    const calls = probe().calls.length;
    const stale = await get('/p/6');
    // Answered at once with the stale data while the refreshes wait at the gate; a second
    // request starts no second refresh.
    expect(lists(stale.body)).toEqual(before);
    expect(stale.headers['cache-control']).toBe('private, no-cache');
    expect(lists((await get('/p/6')).body)).toEqual(before);
    expect(probe().calls.length).toBe(calls + 2);
    release();
    await vi.waitFor(async () => expect(lists((await get('/p/6')).body)).not.toEqual(before), WAIT);
    expect(probe().calls.length).toBe(calls + 2);
    expect((await get('/p/6')).headers['cache-control']).toBe('private, max-age=10');
  });

  test('concurrent misses of a fragment stored before call its hook once', async () => {
    await get('/p/7');
    clock += 100_000; // past TTL + maxStale: expired, not stale
    const release = closeGate();
    const calls = probe().calls.length;
    const pending = [get('/p/7'), get('/p/7', { cookie: 'name=bob' }), get('/p/7', { cookie: 'name=cy' })];
    await vi.waitFor(() => expect(probe().calls.length).toBe(calls + 2), WAIT);
    release();
    const bodies = (await Promise.all(pending)).map((r) => lists(r.body));
    expect(probe().calls.length).toBe(calls + 2);
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
  });

  test('a soft purge by a hook tag turns fragments stale (used while one refresh runs); a hard one drops them', async () => {
    const before = lists((await get('/p/8')).body);
    const calls = probe().calls.length;
    expect((await purge({ tags: ['list'] })).statusCode).toBe(200);
    const release = closeGate();
    expect(lists((await get('/p/8')).body)).toEqual(before);
    expect(probe().calls.length).toBe(calls + 2);
    release();
    await vi.waitFor(async () => expect(lists((await get('/p/8')).body)).not.toEqual(before), WAIT);
    const refreshed = probe().calls.length;
    const hard = await purge({ tags: ['list'], hard: true });
    expect(hard.json().purged).toBeGreaterThanOrEqual(2);
    await get('/p/8');
    expect(probe().calls.length).toBe(refreshed + 2);
    // A tag no fragment carries purges nothing.
    expect((await purge({ tags: ['nothing-has-this'], hard: true })).json()).toEqual({ purged: 0 });
  });

  test('bounded by maxEntries: the least recently used fragments go first', async () => {
    await get('/p/lru-0');
    for (let i = 1; i <= 30; i++) await get(`/p/lru-${i}`);
    const calls = probe().calls.length;
    await get('/p/lru-30');
    expect(probe().calls.length).toBe(calls);
    await get('/p/lru-0');
    expect(probe().calls.length).toBe(calls + 2);
  });
});

describe('dependency tracking', () => {
  test('a hook that read crossRequestCache.get(k) makes its fragment and page depend on k: set and delete of k invalidate them', async () => {
    const first = await get('/dep');
    expect(first.body).toContain('v=<!--lit-part-->none');
    expect((await get('/dep')).headers['x-atoll-cache']).toBe('hit');
    const calls = probe().calls.filter((c) => c === 'dep').length;
    expect((await get('/set/books')).statusCode).toBe(200);
    const after = await get('/dep');
    expect(after.headers['x-atoll-cache']).toBe('miss');
    expect(after.body).toContain('v=<!--lit-part-->books');
    expect(probe().calls.filter((c) => c === 'dep').length).toBe(calls + 1);
    expect((await get('/dep')).headers['x-atoll-cache']).toBe('hit');
    await get('/set/delete');
    const deleted = await get('/dep');
    expect(deleted.headers['x-atoll-cache']).toBe('miss');
    expect(deleted.body).toContain('v=<!--lit-part-->none');
  });

  test('a key written by another request while the hook ran keeps its result out of both caches', async () => {
    await get('/set/old');
    const release = closeGate();
    const dep = () => probe().calls.filter((c) => c === 'dep').length;
    const calls = dep();
    const pending = get('/dep');
    await vi.waitFor(() => expect(dep()).toBe(calls + 1), WAIT);
    // The hook has read "old" and waits; the key changes meanwhile.
    expect((await get('/set/new')).statusCode).toBe(200);
    release();
    const answered = await pending;
    expect(answered.body).toContain('v=<!--lit-part-->old');
    expect(answered.headers['cache-control']).toBe('private, no-cache');
    expect(answered.headers['x-atoll-cache']).toBe('bypass');
    const next = await get('/dep');
    expect(dep()).toBe(calls + 2);
    expect(next.body).toContain('v=<!--lit-part-->new');
    expect(next.headers['x-atoll-cache']).toBe('miss');
  });
});

describe('fragmentCache bounds and switch', () => {
  // One folder (a tag is defined once per process), its config rewritten before each server.
  const folder = writeApp({
    'app.config.json': {},
    'big.html': '<fb-big></fb-big><fb-me></fb-me>',
    'components/fb-big.ts': `import { LitElement, html } from 'lit';
export class C extends LitElement { static properties = { text: {} }; render() { return html\`<p>\${this.text}</p>\`; } }
customElements.define('fb-big', C);
export const getServerData = () => { globalThis.__bigCalls = (globalThis.__bigCalls ?? 0) + 1; return { props: { text: 'x'.repeat(4000) }, cache: { ttl: 60 } }; };
`,
    'components/fb-me.ts': `import { LitElement, html } from 'lit';
export class C extends LitElement { render() { return html\`me\`; } }
customElements.define('fb-me', C);
export const getServerData = ({ cookies }) => ({ props: { n: cookies.n ?? '' } });
`,
  });
  const calls = () => (globalThis as { __bigCalls?: number }).__bigCalls ?? 0;

  test.each([
    ['a fragment larger than maxBytes is never kept', { fragmentCache: { maxBytes: 2048 } }, 2],
    ['fragmentCache.enabled false turns it off', { fragmentCache: { enabled: false } }, 2],
    ['within the bounds it is kept', {}, 0],
  ])('%s', async (_name, config, extraCalls) => {
    writeFileSync(path.join(folder, 'app.config.json'), JSON.stringify({ routes: [{ id: 'big', path: '/big', contentTemplate: 'big.html' }], ...config }));
    const { server: app } = await startApp(folder);
    await app.inject('/big');
    const before = calls();
    await app.inject('/big');
    await app.inject('/big');
    expect(calls() - before).toBe(extraCalls);
    await app.close();
  });

  test('bounded by maxBytes over all fragments: storing one past the bound drops the least recently used', async () => {
    // Each fragment is about 8 KB (its 4,000-character text in the HTML and in the props): two fit.
    writeFileSync(
      path.join(folder, 'app.config.json'),
      JSON.stringify({ routes: [{ id: 'big', path: '/big/:n', contentTemplate: 'big.html' }], fragmentCache: { maxBytes: 20_000 } }),
    );
    const { server: app } = await startApp(folder);
    const misses = async (url: string) => {
      const before = calls();
      expect((await app.inject(url)).statusCode).toBe(200);
      return calls() - before;
    };
    expect(await misses('/big/1')).toBe(1);
    expect(await misses('/big/2')).toBe(1);
    expect(await misses('/big/1')).toBe(0);
    expect(await misses('/big/3')).toBe(1);
    expect(await misses('/big/1')).toBe(0);
    expect(await misses('/big/3')).toBe(0);
    expect(await misses('/big/2')).toBe(1);
    await app.close();
  });
});

describe("fragments and main's request features (path-prefix locales, element fallbacks, form posts)", () => {
  // Tags of their own: one process defines each tag once. globalThis.__fm counts hook calls and
  // renders, and `broken` makes the nested <fm-broken> throw in render() (it then falls back).
  interface Counts {
    calls: string[];
    renders: number;
    broken: boolean;
  }
  const counts = (): Counts => (globalThis as { __fm?: Counts }).__fm!;
  const folder = writeApp({
    'app.config.json': {
      i18n: { defaultLocale: 'en-US', locales: ['en-US', 'fr'], uriPattern: 'path-prefix' },
      routes: [
        { id: 'shop', path: '/shop', contentTemplate: 'shop.html' },
        { id: 'outer', path: '/outer', contentTemplate: 'outer.html' },
        { id: 'form', path: '/form', contentTemplate: 'form.html' },
      ],
    },
    'shop.html': '<fm-list></fm-list><fm-me></fm-me>',
    'outer.html': '<fm-outer></fm-outer><fm-me></fm-me>',
    'form.html': '<fm-form></fm-form>',
    'components/fm-list.ts': `import { LitElement, html } from 'lit';
globalThis.__fm ??= { calls: [], renders: 0, broken: false };
export class C extends LitElement { static properties = { text: {} }; render() { return html\`<p>\${this.text}</p>\`; } }
customElements.define('fm-list', C);
export const getServerData = ({ locale }) => { globalThis.__fm.calls.push('list ' + locale); return { props: { text: 'list in ' + locale }, cache: { ttl: 60 } }; };
`,
    'components/fm-me.ts': `import { LitElement, html } from 'lit';
export class C extends LitElement { static properties = { name: {} }; render() { return html\`<b>\${this.name}</b>\`; } }
customElements.define('fm-me', C);
export const getServerData = ({ cookies }) => ({ props: { name: cookies.name ?? 'guest' } });
`,
    'components/fm-broken.ts': `import { LitElement, html } from 'lit';
export class C extends LitElement {
  render() { if (globalThis.__fm.broken) throw new Error('no server render today'); return html\`<i>fine</i>\`; }
}
customElements.define('fm-broken', C);
`,
    'components/fm-outer.ts': `import { LitElement, html } from 'lit';
import './fm-broken.js';
export class C extends LitElement {
  render() { globalThis.__fm.renders += 1; return html\`<fm-broken></fm-broken>\`; }
}
customElements.define('fm-outer', C);
export const getServerData = () => { globalThis.__fm.calls.push('outer'); return { cache: { ttl: 60 } }; };
`,
    'components/fm-form.ts': `import { LitElement, html } from 'lit';
export class C extends LitElement { static properties = { said: {} }; render() { return html\`<p>\${this.said}</p>\`; } }
customElements.define('fm-form', C);
export const actions = { say: ({ form }) => ({ status: 422, data: String(form.word) }) };
export const getServerData = ({ actionResult }) => {
  globalThis.__fm.calls.push('form');
  return { props: { said: actionResult === undefined ? 'nothing' : 'said ' + actionResult.data }, cache: { ttl: 60 } };
};
`,
  });
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ server: app } = await startApp(folder));
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => {
    Object.assign(counts() ?? {}, { calls: [], renders: 0, broken: false });
  });

  test('the locale of a path prefix is part of the key: /fr/shop and /shop keep one fragment each', async () => {
    const en = await app.inject({ url: '/shop', headers: { cookie: 'name=ann' } });
    const fr = await app.inject({ url: '/fr/shop', headers: { cookie: 'name=ann' } });
    expect(en.body).toContain('<!--lit-part-->list in en-US<');
    expect(fr.body).toContain('<!--lit-part-->list in fr<');
    expect(counts().calls).toEqual(['list en-US', 'list fr']);
    const [enAgain, frAgain] = [await app.inject({ url: '/shop', headers: { cookie: 'name=ann' } }), await app.inject({ url: '/fr/shop', headers: { cookie: 'name=ann' } })];
    expect(counts().calls).toEqual(['list en-US', 'list fr']);
    expect([enAgain.body, frAgain.body]).toEqual([en.body, fr.body]);
  });

  test('a root inside which a nested element fell back is rendered again on every request; once it renders whole it is kept', async () => {
    counts().broken = true;
    const pages = [];
    for (let i = 0; i < 3; i++) pages.push((await app.inject({ url: '/outer', headers: { cookie: 'name=ann' } })).body);
    expect(pages[0]).toContain('<fm-broken defer-hydration></fm-broken>');
    expect(pages[0]).not.toContain('<i>fine</i>');
    expect(new Set(pages).size).toBe(1);
    // Its data is kept (the hook ran once), its HTML never is: the root rendered each time.
    expect(counts().calls).toEqual(['outer']);
    expect(counts().renders).toBe(3);
    counts().broken = false;
    const whole = await app.inject({ url: '/outer', headers: { cookie: 'name=ann' } });
    expect(whole.body).toContain('<i>fine</i>');
    expect(counts().renders).toBe(4);
    counts().broken = true;
    expect((await app.inject({ url: '/outer', headers: { cookie: 'name=ann' } })).body).toBe(whole.body);
    expect(counts().renders).toBe(4);
  });

  test("a form post's page neither uses nor leaves fragments: its hooks see the action result, the next GET the cached page part", async () => {
    const get = await app.inject('/form');
    expect(get.body).toContain('<p><!--lit-part-->nothing');
    const posted = await app.inject({ method: 'POST', url: '/form?/say', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'word=%3Cb%3Ehi' });
    expect(posted.statusCode).toBe(422);
    expect(posted.body).toContain('<p><!--lit-part-->said &lt;b&gt;hi');
    expect(counts().calls).toEqual(['form', 'form']);
    const again = await app.inject('/form');
    expect(again.body).toBe(get.body);
    expect(counts().calls).toEqual(['form', 'form']);
  });
});
