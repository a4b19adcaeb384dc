import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { App } from '../app.js';
import { CLIENT_PREFIX } from '../island-protocol.js';
import { plainErrorPage } from '../render/error-page.js';
import { sendPage } from './send-page.js';
import { chooseEncoding } from './choose-encoding.js';
import { encodeVariants } from '../cache/encode-variants.js';

/** Island code: content-hashed names, so a URL's bytes never change and may be cached for a year. */
export function registerClientFiles(server: FastifyInstance, app: App): void {
  const files = app.client?.files;
  if (files === undefined) return;
  // Compressed once here, at startup and as densely as the codings go: a request picks a buffer.
  const encoded = new Map(
    [...files].map(([url, contents]) => {
      const body = Buffer.from(contents.buffer, contents.byteOffset, contents.byteLength);
      return [url, { body, variants: encodeVariants(body, 11) }] as const;
    }),
  );
  const headers = { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' };
  server.get(`${app.config.basePath}${CLIENT_PREFIX}:file`, (request, reply) => {
    const file = encoded.get(request.url.split('?')[0]!);
    if (file === undefined) return sendPage(reply, plainErrorPage(404, '(client file)'));
    return sendPage(reply, { status: 200, ...chooseEncoding(request.headers['accept-encoding'], headers, file.body, file.variants) });
  });
}

/** Each asset folder under basePath: no dotfiles, no listing, no symlink out of the folder. */
export function registerAssets(server: FastifyInstance, app: App): void {
  // The default public/ folder is optional (an explicitly configured one must exist: config check).
  app.config.assets
    .filter((asset) => existsSync(asset.dir))
    .forEach((asset, i) => {
      server.register(fastifyStatic, {
        root: asset.dir,
        prefix: `${app.config.basePath}${asset.urlPath}/`,
        decorateReply: i === 0,
        dotfiles: 'ignore',
        index: false,
        list: false,
        redirect: false,
        cacheControl: true,
        maxAge: 0,
        // @fastify/static follows symlinks; refuse any file whose real path leaves the folder.
        allowedPath: (pathName: string) => staysInside(asset.dir, path.join(asset.dir, pathName)),
      });
    });
}

function staysInside(dir: string, file: string): boolean {
  let real: string;
  try {
    real = realpathSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return true; // @fastify/static answers 404
    throw error;
  }
  const rel = path.relative(realpathSync(dir), real);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
