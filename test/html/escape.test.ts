import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { parseFragment, parse } from 'parse5';
import { escapeCssForStyle, escapeHtml, escapeJsonForScript } from '../../src/html/escape.js';
import { serializeProps } from '../../src/serialize/serialize-props.js';
import { renderHead } from '../../src/head/render-head.js';

/** Hostile strings by advisory class (the published advisories of peer frameworks' props and head escaping): script-ending, comment-opening, entity and line-terminator tricks. */
const XSS = [
  '</script><script>alert(1)</script>',
  '</SCRIPT >',
  '</script\t>',
  '</script/>',
  '</SCRIPT >',
  '</sCrIpT\n>',
  '<script>',
  '<!--<script>',
  '<!--',
  '-->',
  '\u2028\u2029',
  '&lt;/script&gt;',
  '"\'><img src=x onerror=alert(1)>',
  '</style><script>alert(1)</script>',
  '</title><script>alert(1)</script>',
  'javascript:alert(1)',
  '\u0000',
  '\ud800',
  '😀',
];

const elementsOf = (html: string) => {
  const names: string[] = [];
  const walk = (node: { childNodes?: unknown[]; nodeName: string }) => {
    if (!node.nodeName.startsWith('#')) names.push(node.nodeName);
    for (const child of (node.childNodes ?? []) as (typeof node)[]) walk(child);
  };
  walk(parse(html) as never);
  return names;
};

describe('props JSON for <script type="application/json">', () => {
  test.each(XSS)('%j cannot end the script or open a comment, and parses back unchanged', (value) => {
    const result = serializeProps({ value, [value]: value, nested: { list: [value] } });
    if (!('json' in result)) throw new Error('expected json');
    expect(result.json).not.toMatch(/<\/?script|<!--|-->|\u2028|\u2029/i);
    expect(JSON.parse(result.json)).toEqual({ value, [value]: value, nested: { list: [value] } });
  });

  test('__proto__ keys stay data and do not pollute prototypes', () => {
    const props = JSON.parse('{"__proto__":{"polluted":true},"a":{"__proto__":{"x":1}}}') as Record<string, unknown>;
    const result = serializeProps(props);
    if (!('json' in result)) throw new Error('expected json');
    const back = JSON.parse(result.json) as Record<string, unknown>;
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test('property: any JSON value round-trips and the page keeps its element structure', () => {
    const shape = elementsOf('<script type="application/json">{}</script><p>after</p>');
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (value, text) => {
        const props = { value: value as unknown, text };
        const result = serializeProps(props);
        if (!('json' in result)) return;
        expect(JSON.parse(result.json)).toEqual(JSON.parse(JSON.stringify(props)));
        expect(elementsOf(`<script type="application/json">${result.json}</script><p>after</p>`)).toEqual(shape);
      }),
      { numRuns: 500 },
    );
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['a function', { onClick: () => 1 }, 'props.onClick'],
    ['a BigInt', { n: 1n }, 'props.n'],
    ['undefined in an array', { list: [1, undefined] }, 'props.list[1]'],
    ['an array hole', { list: Object.assign(new Array(3), { 0: 1, 2: 3 }) }, 'props.list[1]'],
    ['NaN', { deep: { x: Number.NaN } }, 'props.deep.x'],
    ['a Date', { when: new Date(0) }, 'props.when'],
    ['a Map', { m: new Map() }, 'props.m'],
    ['a symbol', { s: Symbol('x') }, 'props.s'],
    ['an odd key', { 'a b': { c: undefined } }, 'props["a b"].c'],
  ])('%s is refused with its key path', (_name, props, keyPath) => {
    expect(serializeProps(props)).toMatchObject({ keyPath });
  });

  test('a cycle is refused with its key path', () => {
    const a: Record<string, unknown> = { n: 1 };
    a['self'] = a;
    expect(serializeProps({ a })).toMatchObject({ keyPath: 'props.a.self', detail: 'a cyclic reference cannot be sent as JSON' });
  });

  test('shared (non-cyclic) references are fine', () => {
    const shared = { x: 1 };
    expect(serializeProps({ a: shared, b: shared })).toEqual({ json: '{"a":{"x":1},"b":{"x":1}}' });
  });
});

describe('escaping by context', () => {
  test('HTML text and attribute values', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  test('JSON for script escapes < > & and line separators', () => {
    expect(escapeJsonForScript('"</script>&\u2028"')).toBe('"\\u003c/script\\u003e\\u0026\\u2028"');
  });

  test('CSS for style escapes <', () => {
    expect(escapeCssForStyle('a{}</style><script>')).toBe('a{}\\3C /style>\\3C script>');
  });

  test('property: any string in any head sink adds no element and reads back unchanged', () => {
    const benign = renderHead([{ title: 'x', meta: [{ name: 'd', content: 'x' }], links: [{ href: 'x' }], scripts: [{ body: { v: 'x' } }], styles: [{ body: 'x', id: 'x' }] }]);
    const shape = elementsOf(`<head>${benign.html}</head>`);
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const head = renderHead([{ title: s, meta: [{ name: 'd', content: s }], links: [{ href: s }], scripts: [{ body: { v: s } }], styles: [{ body: s, id: s }] }]);
        const html = `<head>${head.html}</head>`;
        expect(elementsOf(html)).toEqual(shape);
        const fragment = parseFragment(head.html) as unknown as {
          childNodes: { nodeName: string; attrs?: { name: string; value: string }[]; childNodes?: { value?: string }[] }[];
        };
        const byName = (n: string) => fragment.childNodes.find((c) => c.nodeName === n)!;
        const normalised = s.replace(/\r\n?/g, '\n').replace(/\u0000/g, '\ufffd');
        expect(byName('meta').attrs!.find((a) => a.name === 'content')!.value).toBe(normalised);
        expect(byName('link').attrs!.find((a) => a.name === 'href')!.value).toBe(normalised);
        expect(JSON.parse(byName('script').childNodes![0]!.value!)).toEqual({ v: s });
        expect(escapeHtml(s)).not.toMatch(/[<>"']/);
      }),
      { numRuns: 500 },
    );
  });
});
