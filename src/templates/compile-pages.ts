import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseFragment } from 'parse5';
import type { AppConfig, PageConfig } from '../config/app-config.js';
import { atollError } from '../errors.js';
import { escapeHtml } from '../html/escape.js';
import { BODY_SLOT, compileLayout, DEFAULT_LAYOUT, type CompiledLayout } from './compile-layout.js';
import { compileBody, type CompiledBody } from './compile-body.js';
import { findPlaceholders, lookupValue, REQUEST_VALUES } from './placeholders.js';
import { unsafePlaceFor } from './walk-html.js';

/** Everything needed to build one route's page, prepared once at startup. */
export interface PagePlan {
  readonly page: PageConfig;
  readonly layout: CompiledLayout;
  readonly body: CompiledBody;
}

export interface CompiledPages {
  readonly routes: ReadonlyMap<string, PagePlan>;
  readonly errorPages: ReadonlyMap<404 | 500, PagePlan>;
  /** Handler route id → the views its handler may return, in config order. */
  readonly views: ReadonlyMap<string, readonly PagePlan[]>;
  /** The text of every template compiled above, for views compiled again with a handler's viewParams. */
  readonly sources: ReadonlyMap<string, string>;
}

/**
 * Reads and compiles every route's content and layout template, and every handler route's
 * views. All problems of all templates are reported together in one ATOLL_TEMPLATE_INVALID.
 */
export function compilePages(config: AppConfig, components: ReadonlySet<string>): CompiledPages {
  const problems: string[] = [];
  const sources = new Map<string, string>();
  const read = (file: string): string => {
    let text = sources.get(file);
    if (text === undefined) {
      text = readFileSync(file, 'utf8');
      sources.set(file, text);
    }
    return text;
  };
  const plan = (page: PageConfig, label: string): PagePlan => planPage(config.root, components, page, label, problems, read);
  const routes = new Map<string, PagePlan>();
  const views = new Map<string, readonly PagePlan[]>();
  for (const route of config.routes) {
    if (route.handler === undefined) routes.set(route.id, plan(route, `route "${route.id}"`));
    else
      views.set(
        route.id,
        route.handler.views.map((view, i) => plan(view, `route "${route.id}" views[${i}]`)),
      );
  }
  const errorPages = new Map(config.errorRoutes.map((route) => [route.status, plan(route, `error route "${route.id}"`)]));
  if (problems.length > 0) throw atollError('ATOLL_TEMPLATE_INVALID', [problems]);
  return { routes, errorPages, views, sources };
}

/**
 * One page's plan: its layout and content with the page's properties filled in. Problems are
 * pushed to `problems` (the plan is only meaningful when none were added); `read` gives a
 * template's text.
 */
export function planPage(appRoot: string, components: ReadonlySet<string>, page: PageConfig, label: string, problems: string[], read: (file: string) => string): PagePlan {
  const title = typeof page.properties['title'] === 'string' ? page.properties['title'] : page.id;
  const scope = { ...page.properties, page: { title } };
  const layoutWhere = `${page.layoutFile === undefined ? 'default layout' : relative(appRoot, page.layoutFile)} (${label})`;
  const layout = compileLayout(page.layoutFile === undefined ? DEFAULT_LAYOUT : read(page.layoutFile), scope, layoutWhere, problems);
  let content: string;
  let contentWhere: string;
  if (page.content.kind === 'template') {
    contentWhere = `${relative(appRoot, page.content.file)} (${label})`;
    content = fillContent(read(page.content.file), scope, contentWhere, problems);
  } else {
    contentWhere = `rootComponent <${page.content.tag}> (${label})`;
    if (!components.has(page.content.tag)) problems.push(`${contentWhere}: no module for <${page.content.tag}> in components/ (expected components/${page.content.tag}.ts)`);
    content = `<${page.content.tag}></${page.content.tag}>`;
  }
  // A broken layout (already reported) still lets the content be checked on its own.
  const bodySource = layout.bodySource.includes(BODY_SLOT) ? layout.bodySource.replace(BODY_SLOT, () => content) : content;
  return { page, layout, body: compileBody(bodySource, components, `${contentWhere} in ${layoutWhere.replace(/ \(.*\)$/, '')}`, problems, !page.ssr) };
}

/** Fills `{{ name }}` in a content template with route values, escaped; request values are not allowed there. */
function fillContent(source: string, scope: Readonly<Record<string, unknown>>, where: string, problems: string[]): string {
  const placeholders = findPlaceholders(source);
  if (placeholders.length === 0) return source;
  const fragment = parseFragment(source, { sourceCodeLocationInfo: true });
  let out = '';
  let position = 0;
  for (const placeholder of placeholders) {
    out += source.slice(position, placeholder.start);
    position = placeholder.end;
    if (placeholder.raw) {
      problems.push(`${where}: {{{ ${placeholder.name} }}} is only for layouts`);
      continue;
    }
    if ((REQUEST_VALUES as readonly string[]).includes(placeholder.name)) {
      problems.push(`${where}: {{ ${placeholder.name} }} changes per request; use it in the layout's <head>, or read it in getServerData`);
      continue;
    }
    const unsafe = unsafePlaceFor(fragment, source, placeholder.start);
    if (unsafe !== undefined) {
      problems.push(`${where}: {{ ${placeholder.name} }} ${unsafe}`);
      continue;
    }
    const looked = lookupValue(placeholder.name, scope);
    if ('error' in looked) problems.push(`${where}: ${looked.error}`);
    else out += escapeHtml(looked.text);
  }
  return out + source.slice(position);
}

function relative(root: string, file: string): string {
  return path.relative(root, file);
}
