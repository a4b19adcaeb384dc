import type { FastifyInstance } from 'fastify';
import fastifyCompress from '@fastify/compress';
import { constants } from 'node:zlib';
import { BROTLI_QUALITY, COMPRESS_MIN_BYTES } from '../cache/encode-variants.js';
import { ENCODINGS } from './choose-encoding.js';

/**
 * br or gzip by Accept-Encoding (with Vary) for what is not precompressed: uncached and streamed
 * pages, assets. HTML, JS, CSS, JSON, SVG and other text types; bodies under COMPRESS_MIN_BYTES as
 * they are. A response that already carries Content-Encoding (a cached page's or island file's
 * precompressed variant) passes untouched. Each chunk is flushed, so a streamed page still
 * reaches the browser as it renders instead of waiting for the compressor's window to fill.
 */
export function registerCompression(server: FastifyInstance): void {
  server.register(fastifyCompress, {
    encodings: [...ENCODINGS],
    threshold: COMPRESS_MIN_BYTES,
    customTypes: /^text\/(?!event-stream)|^application\/(?:javascript|json|manifest\+json|xml)|^image\/svg\+xml/,
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY }, flush: constants.BROTLI_OPERATION_FLUSH },
    zlibOptions: { flush: constants.Z_SYNC_FLUSH },
    // Request bodies are small forms and JSON that browsers never compress: without a preParsing
    // hook on every route, a page costs about 3% less. A post with a Content-Encoding gets 415
    // before its body is read (page-route.ts).
    globalDecompression: false,
  });
}
