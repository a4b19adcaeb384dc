import { atollError } from '../errors.js';
import type { RootData } from '../data/run-data-hooks.js';
import { serializeProps } from './serialize-props.js';

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
    out += `<script type="application/json" data-atoll-props="${root.index}">${serialized.json}</script>\n`;
  }
  return out;
}
