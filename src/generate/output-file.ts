import path from 'node:path';

/**
 * The file a page URL is written to, relative to the output folder: `/` → `index.html`,
 * `/a/b` → `a/b/index.html`, `/feed.xml` → `feed.xml`. The query never becomes part of a name.
 * Returns an error text for a path that would leave the folder (`..` in any encoding) or that a
 * file system cannot hold.
 */
export function outputFile(url: string): { file: string } | { error: string } {
  const pathname = url.split(/[?#]/)[0]!;
  const raws = pathname.split('/').slice(1);
  const segments: string[] = [];
  for (const [i, raw] of raws.entries()) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch (error) {
      if (!(error instanceof URIError)) throw error;
      return { error: `has a malformed escape in segment ${JSON.stringify(raw)}` };
    }
    if (segment === '..' || segment === '.') return { error: 'would leave the output folder (a ".." or "." segment)' };
    if (/[/\\\u0000]/.test(segment)) return { error: `has a segment with a slash, backslash or NUL once decoded (${JSON.stringify(raw)})` };
    if (segment === '' && i !== raws.length - 1) return { error: 'has an empty segment ("//")' };
    if (segment !== '') segments.push(segment);
  }
  const last = segments.at(-1);
  if (last !== undefined && /\.(html|xml|txt|json)$/i.test(last) && !pathname.endsWith('/')) return { file: path.join(...segments) };
  return { file: path.join(...segments, 'index.html') };
}
