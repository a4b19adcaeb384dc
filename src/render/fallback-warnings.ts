import type { PageLog } from '../page-response.js';
import { atollError, describeThrown } from '../errors.js';
import type { ElementFallback } from './guarded-element-renderer.js';

/** Distinct (route, tag) pairs remembered; past it the memory starts over, so a warning may repeat but memory stays bounded. */
const MAX_REMEMBERED = 10_000;

/**
 * Warns once per tag and route that an element fell back to the browser (not once per request):
 * the pairs are few (routes × defined tags) and the set is bounded anyway.
 */
export class FallbackWarnings {
  private readonly seen = new Set<string>();

  warn(log: PageLog, routeId: string, fallback: ElementFallback): void {
    const key = `${routeId}\u0000${fallback.tag}`;
    if (this.seen.has(key)) return;
    if (this.seen.size >= MAX_REMEMBERED) this.seen.clear();
    this.seen.add(key);
    const error = atollError('ATOLL_ELEMENT_RENDERED_IN_BROWSER', [routeId, fallback.root, fallback.tag, fallback.stage, describeThrown(fallback.cause)], {
      cause: fallback.cause,
      routeId,
      tag: fallback.tag,
    });
    log.warn({ code: error.code, routeId, tag: fallback.tag, root: fallback.root, stage: fallback.stage }, `${error.message} ${error.hint}`);
  }
}
