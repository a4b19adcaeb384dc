/**
 * Microbenchmark (not a test) of the server light-DOM view's cost on a page that never reads it:
 * the reference page's body rendered by Atoll (every custom element placed as it opens, every
 * shadow template kept) against the same Lit render with the same element renderers and no
 * light-DOM tracking. Alternating rounds of 50, medians per round.
 *   node --import tsx test/bench/light-dom-bench.ts [iterations=2000]
 */
import path from 'node:path';
import { html } from 'lit';
import { render } from '@lit-labs/ssr';
import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
import type { ElementRendererConstructor } from '@lit-labs/ssr/lib/element-renderer.js';
import { loadApp } from '../../src/app.js';
import { renderBody } from '../../src/render/render-body.js';
import { REPO_ROOT } from '../helpers/recipe.js';

const iterations = Number(process.argv[2] ?? 2000);
const app = await loadApp(path.join(REPO_ROOT, 'recipes', 'bench-reference'), { mode: 'production', ssrTimeoutMs: 5000 });
const plan = app.pages.routes.get('products')!;
const props = (await app.components.get('product-list')!.getServerData!({ props: {}, signal: new AbortController().signal } as never))!;
const propsByRoot = [{}, props.props!];
const hooks = { onElement: () => undefined, onFallback: () => undefined };
const withView = () => renderBody(plan.body, propsByRoot, true, app.bodyRenderers, hooks);
const without = () =>
  collectResult(
    render(html(plan.body.strings, ...propsByRoot), {
      elementRenderers: app.bodyRenderers.ssr as ElementRendererConstructor[],
      customElementRendered: hooks.onElement,
    }),
  );

if ((await withView()) !== (await without())) throw new Error('the two renders differ');
for (let i = 0; i < 1000; i++) {
  await withView();
  await without();
}
const a: number[] = [];
const b: number[] = [];
for (let round = 0; round < iterations / 50; round++) {
  for (const [fn, out] of [
    [withView, a],
    [without, b],
  ] as const) {
    const start = performance.now();
    for (let i = 0; i < 50; i++) await fn();
    out.push(((performance.now() - start) * 1000) / 50);
  }
}
const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
console.log(JSON.stringify({ node: process.version, withLightDomUs: Math.round(median(a)), withoutUs: Math.round(median(b)), ratio: Number((median(a) / median(b)).toFixed(3)) }));
