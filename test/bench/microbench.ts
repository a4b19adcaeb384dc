/**
 * In-process microbenchmark (not a test): time per page through the whole pipeline
 * (renderRequest) against the Lit render alone (renderBody with the same props), for the
 * reference page. The difference is Atoll's own overhead: matching, data hooks, head, props,
 * compose. Median of N rounds after warm-up.
 *   node --import tsx test/bench/microbench.ts [iterations=2000]
 */
import path from 'node:path';
import { loadApp } from '../../src/app.js';
import { renderRequest } from '../../src/pipeline.js';
import { renderBody } from '../../src/render/render-body.js';
import { STAYING_CLIENT } from '../../src/data/page-deadline.js';
import { REPO_ROOT } from '../helpers/recipe.js';

const iterations = Number(process.argv[2] ?? 2000);
const app = await loadApp(path.join(REPO_ROOT, 'recipes', 'bench-reference'), { mode: 'production', ssrTimeoutMs: 5000 });
const log = { error: () => undefined, warn: () => undefined };
const request = () => renderRequest(app, { method: 'GET', url: '/', headers: {}, client: STAYING_CLIENT, log });
const plan = app.pages.routes.get('products')!;
const props = (await app.components.get('product-list')!.getServerData!({ props: {}, signal: new AbortController().signal } as never))!;
const body = () => renderBody(plan.body, [{}, props.props!], true, app.bodyRenderers, { onElement: () => undefined, onFallback: () => undefined });

/** Alternates the two in rounds of 50 so that machine drift hits both; medians per round. */
async function compare(): Promise<{ pipeline: number; lit: number }> {
  for (let i = 0; i < 1000; i++) {
    await request();
    await body();
  }
  const pipeline: number[] = [];
  const lit: number[] = [];
  for (let round = 0; round < iterations / 50; round++) {
    for (const [fn, out] of [
      [request, pipeline],
      [body, lit],
    ] as const) {
      const start = performance.now();
      for (let i = 0; i < 50; i++) await fn();
      out.push(((performance.now() - start) * 1000) / 50);
    }
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { pipeline: median(pipeline), lit: median(lit) };
}

const { pipeline, lit } = await compare();
console.log(
  JSON.stringify({
    node: process.version,
    pipelineUs: Math.round(pipeline),
    litRenderUs: Math.round(lit),
    overheadUs: Math.round(pipeline - lit),
    ratio: +(lit / pipeline).toFixed(3),
  }),
);
