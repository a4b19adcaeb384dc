import type { ComponentRegistry } from '../compile/load-server-components.js';
import { atollError } from '../errors.js';
import type { PagePlan } from '../templates/compile-pages.js';
import type { FormAction } from './types.js';

export interface RouteAction {
  /** The root component whose module exports the action. */
  readonly tag: string;
  readonly run: FormAction;
}

/** Route id → action name → action; routes without actions are absent. */
export type RouteActions = ReadonlyMap<string, ReadonlyMap<string, RouteAction>>;

/**
 * The form actions of every route: those of its root components. A name two different root
 * components of one route both export is ambiguous (`?/name` could run either): a startup error
 * naming the route, the name and both tags. The same component twice on a page is one action.
 */
export function routeActions(routes: ReadonlyMap<string, PagePlan>, components: ComponentRegistry): RouteActions {
  const problems: string[] = [];
  const byRoute = new Map<string, Map<string, RouteAction>>();
  for (const [routeId, plan] of routes) {
    const actions = new Map<string, RouteAction>();
    for (const root of plan.body.roots) {
      for (const [name, run] of Object.entries(components.get(root.tag)?.actions ?? {})) {
        const existing = actions.get(name);
        if (existing !== undefined && existing.tag !== root.tag) {
          problems.push(`route "${routeId}": action "${name}" is exported by both <${existing.tag}> and <${root.tag}>`);
        }
        if (existing === undefined) actions.set(name, { tag: root.tag, run });
      }
    }
    if (actions.size > 0) byRoute.set(routeId, actions);
  }
  if (problems.length > 0) throw atollError('ATOLL_ACTION_DUPLICATE', [problems]);
  return byRoute;
}
