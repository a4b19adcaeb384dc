import { negotiate } from '@fastify/accept-negotiator';
import { variantTag, type EncodedVariants } from '../cache/encode-variants.js';

/** The codings Atoll sends, best first. */
export const ENCODINGS = ['br', 'gzip'] as const;

/**
 * Picks the precompressed variant the request's Accept-Encoding allows (br before gzip, q-values
 * respected) and returns the body and headers to send. A body with variants always gets
 * `Vary: accept-encoding`, the identity response too, so a shared cache keeps one copy per coding.
 * The ETag of a variant gets a suffix: a strong ETag names one representation's bytes.
 */
export function chooseEncoding(
  acceptEncoding: string | string[] | undefined,
  headers: Readonly<Record<string, string>>,
  body: Buffer,
  variants: EncodedVariants | undefined,
): { headers: Readonly<Record<string, string>>; body: Buffer } {
  if (variants === undefined || (variants.br === undefined && variants.gzip === undefined)) return { headers, body };
  const vary = headers['vary'] === undefined ? 'accept-encoding' : `${headers['vary']}, accept-encoding`;
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding;
  const coding =
    header === undefined
      ? undefined
      : negotiate(
          header,
          ENCODINGS.filter((c) => variants[c] !== undefined),
        );
  const chosen = coding === undefined || coding === null ? undefined : variants[coding as (typeof ENCODINGS)[number]];
  if (chosen === undefined) return { headers: { ...headers, vary }, body };
  const etag = headers['etag'];
  return {
    headers: { ...headers, vary, 'content-encoding': coding as string, ...(etag === undefined ? {} : { etag: variantTag(etag, coding as string) }) },
    body: chosen,
  };
}
