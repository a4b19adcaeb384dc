import { atollError } from '../errors.js';
import type { RootData } from '../data/run-data-hooks.js';
import { serializeProps } from './serialize-props.js';
import { PROPS_ATTRIBUTE } from '../island-protocol.js';

/** Island props of one page, in JSON characters: beyond this the page is a 500, not a 50 MB response. */
export const MAX_PROPS_CHARS = 2 * 1024 * 1024;

/**
 * One `<script type="application/json" data-atoll-props="<island id>">` per island whose data
 * hook returned props: each island's props travel once, under its own id. Static roots send
 * nothing.
 */
export function islandPropsScripts(routeId: string, data: readonly RootData[]): string {
  let out = '';
  for (const { root, result } of data) {
    if (root.hydrate === undefined || result.props === undefined || Object.keys(result.props).length === 0) continue;
    const serialized = serializeProps(result.props);
    if (!('json' in serialized)) {
      throw atollError('ATOLL_PROPS_NOT_SERIALIZABLE', [routeId, root.tag, serialized.keyPath, serialized.detail], { routeId, tag: root.tag });
    }
    out += `<script type="application/json" ${PROPS_ATTRIBUTE}="${root.index}">${serialized.json}</script>\n`;
    if (out.length > MAX_PROPS_CHARS) {
      throw atollError(
        'ATOLL_PROPS_NOT_SERIALIZABLE',
        [routeId, root.tag, 'props', `the page's island props exceed ${MAX_PROPS_CHARS} characters of JSON; send less (paginate) or fetch the rest in the browser`],
        { routeId, tag: root.tag },
      );
    }
  }
  return out;
}
