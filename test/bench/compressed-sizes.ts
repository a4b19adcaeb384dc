/**
 * `npm run bench:sizes`: the bytes the demo shop's pages and island code take on the wire, as
 * sent (identity), gzip and br, through the real server (fastify.inject) with Accept-Encoding.
 * Pages are asked twice: the second answer is a page-cache hit, sent from the variants stored
 * with the page. Prints a Markdown table for BENCHMARKS.md.
 */
import { createServer } from '../../src/server/create-server.js';
import { REPO_ROOT } from '../helpers/recipe.js';

const server = await createServer({ root: REPO_ROOT, mode: 'production', ssrTimeoutMs: 5000, logLevel: 'silent' });
const category = await server.inject({ url: '/category/books' });
const urls = ['/', '/category/books', '/category/games', ...[...category.body.matchAll(/"(\/_atoll\/[^"]+\.js)"/g)].map((m) => m[1]!), '/public/site.css'];
console.log(`Node ${process.version}\n\n| URL | identity | gzip | br | br / identity |\n|---|---:|---:|---:|---:|`);
for (const url of [...new Set(urls)]) {
  const size = async (encoding: string) => {
    await server.inject({ url, headers: { 'accept-encoding': encoding } });
    const response = await server.inject({ url, headers: { 'accept-encoding': encoding } });
    if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`);
    return response.rawPayload.length;
  };
  const [identity, gzip, br] = [await size('identity'), await size('gzip'), await size('br')];
  console.log(`| \`${url}\` | ${identity} | ${gzip} | ${br} | ${(br / identity).toFixed(2)} |`);
}
await server.close();
