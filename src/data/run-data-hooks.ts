import { atollError, describeThrown } from '../errors.js';
import type { ComponentRegistry } from '../compile/load-server-components.js';
import type { RootElement } from '../templates/compile-body.js';
import type { SsrDataResponse, SsrRequestContext } from './types.js';
import { checkDataResult } from './validate-data-result.js';
import { raceAbort } from './race-abort.js';

/** Everything of the context that all roots of a page share. */
export type SharedContext = Omit<SsrRequestContext, 'props' | 'headers'>;

export interface RootData {
  readonly root: RootElement;
  readonly result: SsrDataResponse;
  readonly ttl: number | undefined;
}

export interface DataHookRun {
  readonly routeId: string;
  readonly roots: readonly RootElement[];
  readonly components: ComponentRegistry;
  readonly shared: SharedContext;
  readonly headers: SsrRequestContext['headers'];
  /** Called when a hook reads `context.headers`: the page then depends on who asked. */
  readonly onHeadersRead: () => void;
  /** Called for a TTL a hook returned that is not a duration (logged, then ignored). */
  readonly onInvalidTtl: (tag: string, value: unknown) => void;
  /** Timeout (reason name "TimeoutError") or client gone. */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

/**
 * Calls getServerData of every root concurrently (never one page, or one root, at a time) and
 * returns their checked results in document order. Rejects with a coded error naming the route
 * and tag on the first failure, or with ATOLL_DATA_TIMEOUT naming the hooks still pending when
 * the signal fires; the late hooks see their signal aborted.
 */
export async function runDataHooks(run: DataHookRun): Promise<RootData[]> {
  if (!run.roots.some((root) => run.components.get(root.tag)?.getServerData !== undefined)) {
    return run.roots.map((root) => ({ root, result: {}, ttl: undefined }));
  }
  const pending = new Set<RootElement>();
  const calls = run.roots.map(async (root): Promise<RootData> => {
    const hook = run.components.get(root.tag)?.getServerData;
    if (hook === undefined) return { root, result: {}, ttl: undefined };
    pending.add(root);
    let value: unknown;
    try {
      value = await hook(contextFor(run, root));
    } catch (error) {
      throw atollError('ATOLL_DATA_HOOK_FAILED', [run.routeId, root.tag, describeThrown(error)], { cause: error, routeId: run.routeId, tag: root.tag });
    } finally {
      pending.delete(root);
    }
    const checked = checkDataResult(value);
    if ('problems' in checked) throw atollError('ATOLL_DATA_INVALID_RESULT', [run.routeId, root.tag, checked.problems], { routeId: run.routeId, tag: root.tag });
    if (checked.ttlProblem !== undefined) run.onInvalidTtl(root.tag, checked.ttlProblem);
    return { root, result: checked.result, ttl: checked.ttl };
  });
  return raceAbort(Promise.all(calls), run.signal, () =>
    run.signal.reason instanceof Error && run.signal.reason.name === 'TimeoutError'
      ? atollError('ATOLL_DATA_TIMEOUT', [run.routeId, run.timeoutMs, [...pending].map((r) => r.tag)], { routeId: run.routeId, tag: [...pending][0]?.tag })
      : run.signal.reason,
  );
}

function contextFor(run: DataHookRun, root: RootElement): SsrRequestContext {
  const context = { ...run.shared, props: { ...root.props } } as SsrRequestContext;
  Object.defineProperty(context, 'headers', {
    enumerable: true,
    get: () => {
      run.onHeadersRead();
      return run.headers;
    },
  });
  return Object.freeze(context);
}
