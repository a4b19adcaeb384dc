/** Atoll's public API: the server factory and the types data hooks are written against. */
export { createServer, type ServerOptions } from './server/create-server.js';
export type {
  CrossRequestCache,
  GetServerData,
  GetStaticPaths,
  HeadMarkup,
  JsonValue,
  LinkTag,
  MetaTag,
  SsrDataResponse,
  SsrRequestContext,
} from './data/types.js';
export type { ActionContext, ActionResult, CookieOptions, FormAction, FormFields, FormValue, UploadedFile } from './input/types.js';
export type { RouteHandler, RouteHandlerContext, RouteHandlerResponse, RouteHandlerResult, RouteHandlerView } from './handlers/types.js';
export { AtollError, errors, type ErrorCode } from './errors.js';
/** Content-Security-Policy `script-src` sources (`'sha256-…'`) of the two fixed inline scripts that move deferred roots into place. */
export { FILL_SCRIPT_HASHES } from './client/fill-script.js';
