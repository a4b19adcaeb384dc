import { AtollError, describeThrown } from '../errors.js';
import { escapeHtml } from '../html/escape.js';
import type { RootData } from '../data/run-data-hooks.js';
import type { RootElement } from '../templates/compile-body.js';
import { FALLBACK_SLOT } from '../island-protocol.js';
import { RootBinding } from './element-renderers.js';

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/** The shadow root of a root that shows its fallback: only its slot="fallback" children appear. */
export const FALLBACK_SHADOW = `<slot name="${FALLBACK_SLOT}"></slot>`;

/**
 * The value of each root's props binding for one render. A root that failed (its `failure`, or
 * in `failures` when its render threw) shows its fallback
 * (in development: the escaped error in its place); a deferred root not rendered inline shows its
 * fallback and carries its island index for its fill; the others get their props (with the
 * fragment cache's HTML to reuse or its keeper, when it takes part). `onOpen`, when
 * given, hears each root open, so a render failure can be pinned on the root being rendered.
 */
export function rootBindings(
  data: readonly RootData[],
  failures: ReadonlyMap<number, unknown>,
  deferred: ReadonlySet<number>,
  dev: boolean,
  onOpen: ((root: RootElement) => void) | undefined,
): unknown[] {
  return data.map(({ root, result, failure: failed, reuse, keep }) => {
    const failure = failures.has(root.index) ? failures.get(root.index) : failed;
    const open = onOpen === undefined ? undefined : () => onOpen(root);
    if (failures.has(root.index) || failed !== undefined)
      return new RootBinding(EMPTY, open, dev ? devErrorShadow(failure) : FALLBACK_SHADOW, deferred.has(root.index) ? root.index : undefined);
    if (deferred.has(root.index)) return new RootBinding(EMPTY, open, FALLBACK_SHADOW, root.index);
    const props = result.props ?? EMPTY;
    if (reuse !== undefined || keep !== undefined) return new RootBinding(props, open, undefined, undefined, reuse, keep);
    return open === undefined ? props : new RootBinding(props, open, undefined, undefined);
  });
}

/** Development only: what failed, escaped, where the fallback would be. */
export function devErrorShadow(error: unknown): string {
  const code = AtollError.is(error) ? `${error.code}: ` : '';
  const hint = AtollError.is(error) ? `\n${error.hint}` : '';
  return `<pre style="white-space:pre-wrap;color:#b00020;border:1px solid;padding:.5em">${escapeHtml(code + describeThrown(error) + hint)}</pre>`;
}
