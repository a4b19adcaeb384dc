import { AtollError, describeThrown } from '../errors.js';
import { escapeHtml } from '../html/escape.js';

/**
 * What the browser shows while the app cannot load (an invalid config, a template problem, a
 * compile error): the code, the message with its file, line and JSON path, and the hint, all
 * escaped. The live-reload client is included, so fixing the file brings the app back.
 */
export function devErrorPage(error: unknown, reloadScript: string): string {
  const code = AtollError.is(error) ? error.code : 'Error';
  const title = AtollError.is(error) ? error.title : 'The app could not load';
  const hint = AtollError.is(error) ? `<p><strong>Hint:</strong> ${escapeHtml(error.hint)}</p>\n` : '';
  return (
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(`${code}: ${title}`)}</title>\n` +
    `<style>body{font:16px system-ui,sans-serif;margin:2rem;max-width:60rem}pre{white-space:pre-wrap;background:#fee;padding:1rem}</style>\n</head>\n<body>\n` +
    `<h1>${escapeHtml(`${code}: ${title}`)}</h1>\n<pre>${escapeHtml(describeThrown(error))}</pre>\n${hint}` +
    `<p>Fix the file and save: this page reloads by itself.</p>\n${reloadScript}</body>\n</html>\n`
  );
}
