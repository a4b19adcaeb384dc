import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { REPO_ROOT } from '../helpers/recipe.js';
import { litComponent, writeApp } from '../helpers/write-app.js';

const check = (args: string[]) => spawnSync('npm', ['run', 'check', '--silent', '--', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });

test.each(['hello', 'server-data', 'static-site', 'islands', 'i18n'])('check passes on the %s recipe, with a table of status, time and size', (recipe) => {
  const run = check(['--root', `recipes/${recipe}`]);
  expect(run.status, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toMatch(/^\s+status\s+time\s+size\s+route\s+url$/m);
  expect(run.stdout).toMatch(/^ok\s+200\s+[\d.]+ ms\s+\d+ B\s+\S+\s+\/\S*$/m);
  expect(run.stdout).toMatch(/check passed: \d+ pages?$/m);
});

test('check fails on a broken route, an invalid TTL warning, and props that are not JSON', () => {
  const root = writeApp({
    'app.config.json': {
      routes: [
        { id: 'fine', path: '/', contentTemplate: 'fine.html' },
        { id: 'broken', path: '/broken', contentTemplate: 'broken.html' },
        { id: 'ttl', path: '/ttl', contentTemplate: 'ttl.html' },
        { id: 'props', path: '/props', contentTemplate: 'props.html' },
      ],
    },
    'fine.html': '<p>fine</p>',
    'broken.html': '<k-broken></k-broken>',
    'ttl.html': '<k-ttl></k-ttl>',
    'props.html': '<k-props hydrate></k-props>',
    'components/k-broken.ts': litComponent('k-broken', { render: 'x', extra: "export const getServerData = () => { throw new Error('database down'); };" }),
    'components/k-ttl.ts': litComponent('k-ttl', { render: 'x', extra: "export const getServerData = () => ({ cache: { ttl: '60' } });" }),
    'components/k-props.ts': litComponent('k-props', { render: 'x', extra: 'export const getServerData = () => ({ props: { when: new Date(0) } });' }),
  });
  const run = check(['--root', root]);
  expect(run.status).toBe(1);
  expect(run.stdout).toMatch(/^ok\s+200 .* \/$/m);
  expect(run.stdout).toMatch(/^FAIL\s+500 .* broken\s+\/broken$/m);
  expect(run.stdout).toMatch(/^FAIL\s+200 .* ttl\s+\/ttl$/m);
  expect(run.stdout).toMatch(/^FAIL\s+500 .* props\s+\/props$/m);
  expect(run.stdout).toContain('/broken: ATOLL_DATA_HOOK_FAILED: getServerData of <k-broken> on route "broken" threw: database down');
  expect(run.stdout).toContain('/ttl: ATOLL_TTL_INVALID');
  expect(run.stdout).toContain('/props: ATOLL_PROPS_NOT_SERIALIZABLE: Props of island <k-props> on route "props" at props.when');
  expect(run.stdout).toMatch(/check FAILED: 4 pages$/m);
});

test('check --browser loads every page in Chromium and fails on a hydration mismatch', () => {
  const root = writeApp({
    'app.config.json': {
      routes: [
        { id: 'ok', path: '/', contentTemplate: 'ok.html' },
        { id: 'mismatch', path: '/mismatch', contentTemplate: 'mismatch.html' },
      ],
    },
    'ok.html': '<k-fine hydrate></k-fine>',
    'mismatch.html': '<k-mismatch hydrate></k-mismatch>',
    'components/k-fine.ts': litComponent('k-fine', { render: '<p>same everywhere</p>' }),
    'components/k-mismatch.ts': litComponent('k-mismatch', { render: "<p>${typeof document === 'undefined' ? 'server' : 'browser'}</p>" }),
  });
  const run = check(['--root', root, '--browser']);
  expect(run.status).toBe(1);
  expect(run.stdout).toMatch(/^ok\s+\/$/m);
  expect(run.stdout).toMatch(/^FAIL\s+\/mismatch\n\s+console error: Atoll: hydration mismatch in <k-mismatch>/m);
  expect(run.stdout).toContain('browser check FAILED');
});

/**
 * The pattern of Material Web and Web Awesome, hand-written (the libraries themselves are checked
 * in the design-system tests): a nested element whose `reflect: true` properties are set in
 * connectedCallback, so its host gains attributes in the browser that the server never rendered.
 */
const reflectingBadge = `import { LitElement, html } from 'lit';
export class Badge extends LitElement {
  static properties = { label: {}, ready: { type: Boolean, reflect: true }, tone: { reflect: true } };
  connectedCallback() { super.connectedCallback(); this.ready = true; this.tone ??= 'info'; }
  render() { return html\`<span>\${this.label}</span>\`; }
}
customElements.define('k-badge', Badge);
`;
const usingBadge = (tag: string, text: string) => `import './k-badge.js';
${litComponent(tag, { render: `<k-badge label="a"></k-badge><p>${text}</p>` })}`;

test('check --browser passes when nested elements reflect attributes as they connect, wakes interaction islands, and still reports a real mismatch', () => {
  const root = writeApp({
    'app.config.json': {
      routes: [
        { id: 'nested', path: '/', contentTemplate: 'nested.html' },
        { id: 'mismatch', path: '/mismatch', contentTemplate: 'mismatch.html' },
      ],
    },
    'nested.html': '<k-card hydrate></k-card><k-card hydrate="interaction"></k-card><k-card hydrate="media(not all)"></k-card>',
    'mismatch.html': '<k-wrong hydrate></k-wrong>',
    'components/k-badge.ts': reflectingBadge,
    'components/k-card.ts': usingBadge('k-card', 'same everywhere'),
    'components/k-wrong.ts': usingBadge('k-wrong', "${typeof document === 'undefined' ? 'server' : 'browser'}"),
  });
  const run = check(['--root', root, '--browser']);
  expect(run.stdout).toMatch(/^ok\s+\/\n\s+not checked: <k-card hydrate="media\(not all\)">, its query does not match this window$/m);
  expect(run.stdout).toMatch(
    /^FAIL\s+\/mismatch\n\s+console error: Atoll: hydration mismatch in <k-wrong>: the server rendered ".*<p>server<\/p>" but the browser renders ".*<p>browser<\/p>"/m,
  );
  expect(run.stdout).not.toContain('mismatch in <k-card>');
  expect(run.status).toBe(1);
});
