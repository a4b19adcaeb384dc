import type { FastifyInstance } from 'fastify';
import underPressure from '@fastify/under-pressure';
import { getHeapStatistics } from 'node:v8';
import type { App } from '../app.js';
import { CLIENT_PREFIX } from '../island-protocol.js';
import { plainErrorPage } from '../render/error-page.js';

/** Load shedding: past these, new requests get 503 with Retry-After until the server recovers. */
export interface OverloadOptions {
  /** Mean event-loop delay over one sample. */
  readonly maxEventLoopDelayMs: number;
  readonly sampleIntervalMs: number;
  /** Default: 90% of V8's heap limit. */
  readonly maxHeapUsedBytes: number;
  /** Seconds, sent as Retry-After. */
  readonly retryAfterSeconds: number;
}

export const DEFAULT_OVERLOAD: OverloadOptions = {
  maxEventLoopDelayMs: 500,
  sampleIntervalMs: 500,
  maxHeapUsedBytes: Math.floor(getHeapStatistics().heap_size_limit * 0.9),
  retryAfterSeconds: 10,
};

/**
 * For the servers of `atoll dev` and `check --browser`: one local client, and the same process
 * compiles the app or drives Chromium, so the event loop's lag says nothing about visitors. With
 * the check on, their first request after start was shed with 503 (an interval in which the loop
 * never ticked reads as infinite delay). 0 turns the event-loop check off; the heap check stays.
 */
export const TOOL_SERVER_OVERLOAD: Partial<OverloadOptions> = { maxEventLoopDelayMs: 0 };

/**
 * Sheds load before any rendering starts (onRequest) while the event loop lags or the heap is
 * nearly full, and exposes `<basePath>/_atoll/health` (200, or 503 under pressure).
 */
export function registerOverload(server: FastifyInstance, app: App, overload: OverloadOptions): void {
  server.register(underPressure, {
    maxEventLoopDelay: overload.maxEventLoopDelayMs,
    maxHeapUsedBytes: overload.maxHeapUsedBytes,
    sampleInterval: overload.sampleIntervalMs,
    retryAfter: overload.retryAfterSeconds,
    exposeStatusRoute: `${app.config.basePath}${CLIENT_PREFIX}health`,
    // under-pressure sends what this returns (null would let the request through).
    pressureHandler: (request, reply, type, value) => {
      request.log.warn({ type, value }, 'overloaded: shedding the request with 503');
      const page = plainErrorPage(503, '(overload)');
      reply.status(503).headers({ ...page.headers, 'retry-after': String(overload.retryAfterSeconds) });
      // biome-ignore lint/suspicious/noConfusingVoidType: under-pressure's handler type says void, yet it sends what the handler returns.
      return page.body as unknown as void;
    },
  });
}
