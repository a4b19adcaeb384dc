import { STATUS_CODES } from 'node:http';
import { AtollError, describeThrown } from '../errors.js';
import { escapeHtml } from '../html/escape.js';
import type { PageResponse } from '../page-response.js';

const NO_STORE = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } as const;

/** The page for a status when the app has no error route for it (or it failed): no details, ever. */
export function plainErrorPage(status: number, routeId: string): PageResponse {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return {
    status,
    headers: NO_STORE,
    body: `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${title}</title>\n</head>\n<body>\n<h1>${title}</h1>\n</body>\n</html>\n`,
    routeId,
  };
}

/** Development only: the error, its hint, stack and causes, all escaped. */
export function errorPage(error: unknown, routeId: string): PageResponse {
  const sections: string[] = [];
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 5; depth++) {
    const heading = AtollError.is(current) ? `${current.code}: ${current.title}` : depth === 0 ? 'Error' : 'Caused by';
    const hint = AtollError.is(current) ? `<p><strong>Hint:</strong> ${escapeHtml(current.hint)}</p>\n` : '';
    const stack = current instanceof Error && current.stack !== undefined ? `<pre>${escapeHtml(current.stack)}</pre>\n` : '';
    sections.push(`<h2>${escapeHtml(heading)}</h2>\n<pre>${escapeHtml(describeThrown(current))}</pre>\n${hint}${stack}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return {
    status: 500,
    headers: NO_STORE,
    body: `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>500 Internal Server Error</title>\n</head>\n<body>\n<h1>500 Internal Server Error (development details)</h1>\n<p>Route: ${escapeHtml(routeId)}</p>\n${sections.join('')}</body>\n</html>\n`,
    routeId,
  };
}
