import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { generateSite } from '../../src/generate/generate-site.js';
import { golden, REPO_ROOT, startRecipe } from '../helpers/recipe.js';

const text = (body: string, selector: RegExp) => selector.exec(body)?.[1]?.replace(/<!--.*?-->/g, '');

test('i18n: path-prefix locales, translated components and titles, the default prefix redirected, hreflang links', async () => {
  const { server } = await startRecipe('i18n');
  const en = await server.inject('/');
  const fr = await server.inject('/fr/');
  expect([en.statusCode, fr.statusCode]).toEqual([200, 200]);
  expect(en.headers['vary']).toBeUndefined();
  expect([text(en.body, /<title>(.*?)<\/title>/), text(fr.body, /<title>(.*?)<\/title>/)]).toEqual(['Atoll in two languages', 'Atoll en deux langues']);
  expect(text(fr.body, /<h1>(.*?)<\/h1>/)).toBe('Bienvenue sur <b>Atoll</b>, rendu sur le serveur dans votre langue.');
  expect([text(fr.body, /<p>(.*?)<\/p>/), text(fr.body, /<button >(.*?)<\/button>/)]).toEqual(['0 clics', 'Ajouter un']);
  expect([text(en.body, /<p>(.*?)<\/p>/), text(en.body, /<button >(.*?)<\/button>/)]).toEqual(['Clicked 0 times', 'Add one']);
  // The boot script tells the browser runtime which locale to load before the island hydrates.
  expect(fr.body).toMatch(/"localize":\{"module":"\/_atoll\/atoll-localize-[A-Z0-9]+\.js","locale":"fr"\}/);
  expect(fr.body).toContain('<link rel="alternate" hreflang="fr" href="/fr/">\n<link rel="alternate" hreflang="x-default" href="/">');

  // The about page: one message translated, one left out of locales/fr.ts (it falls back to English).
  const about = await server.inject('/fr/about');
  await expect(about.body).toMatchFileSnapshot(golden('i18n', 'about-fr'));
  await expect((await server.inject('/about')).body).toMatchFileSnapshot(golden('i18n', 'about-en'));
  const redirect = await server.inject('/en/about?ref=x');
  expect([redirect.statusCode, redirect.headers['location']]).toEqual([301, '/about?ref=x']);
  const missing = await server.inject('/fr/nowhere');
  expect([missing.statusCode, text(missing.body, /<html lang="(.*?)">/)]).toEqual([404, 'fr']);
  await server.close();
});

test('i18n: generate writes both locales, each page and its 404', async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'atoll-site-'));
  const report = await generateSite({ root: path.join(REPO_ROOT, 'recipes', 'i18n'), outDir: out, concurrency: 2, ssrTimeoutMs: 5000 });
  expect(report.pages).toBe(4);
  expect(readFileSync(path.join(out, 'fr', 'about', 'index.html'), 'utf8')).toBe(readFileSync(golden('i18n', 'about-fr'), 'utf8'));
  expect(readFileSync(path.join(out, 'fr', 'index.html'), 'utf8')).toContain('<title>Atoll en deux langues</title>');
  expect(readFileSync(path.join(out, 'fr', '404.html'), 'utf8')).toContain('<html lang="fr">');
});
