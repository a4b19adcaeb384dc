/**
 * Escaping by HTML context. Every value that a request, the config or a data hook supplies goes
 * through exactly one of these on its way into a page.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const HTML_SPECIAL = /[&<>"']/g;

/** Text content and quoted attribute values (both quote kinds are escaped). */
export function escapeHtml(value: string): string {
  return value.replace(HTML_SPECIAL, (c) => HTML_ESCAPES[c]!);
}

const JSON_SCRIPT_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};
const JSON_SCRIPT_SPECIAL = /[<>&\u2028\u2029]/g;

/**
 * JSON text for a `<script type="application/json">` or `application/ld+json` body. After this no
 * `</script`, `<!--` or `<script` can appear, so the value cannot end the element or open a
 * comment that swallows the next script; JSON.parse reads it back unchanged.
 */
export function escapeJsonForScript(json: string): string {
  return json.replace(JSON_SCRIPT_SPECIAL, (c) => JSON_SCRIPT_ESCAPES[c]!);
}

/**
 * A CSS body for `<style>`: `<` becomes the CSS escape `\3C `, so `</style>` cannot appear.
 * Inside CSS strings and identifiers `\3C ` still means "<".
 */
export function escapeCssForStyle(css: string): string {
  return css.replace(/</g, '\\3C ');
}
