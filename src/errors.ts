/**
 * The one error catalog. Codes are permanent: never rename or reuse one.
 * `docs/errors.md` documents every code; test/errors.test.ts keeps both in sync.
 *
 * A message says what happened and where (file, JSON path, route id, tag); a hint says what
 * to do. Message functions hold no logic beyond string building.
 */

interface ErrorData<A extends unknown[]> {
  readonly title: string;
  readonly message: (...args: A) => string;
  readonly hint: (...args: A) => string;
}

function define<A extends unknown[]>(data: ErrorData<A>): ErrorData<A> {
  return data;
}

export const errors = {
  ATOLL_CONFIG_NOT_FOUND: define({
    title: 'App config not found',
    message: (file: string) => `No app.config.json at ${file}.`,
    hint: () => 'Point --root at a folder that holds an app.config.json, or create one there.',
  }),
  ATOLL_CONFIG_JSON: define({
    title: 'App config is not valid JSON',
    message: (file: string, line: number, column: number, detail: string) => `${file}:${line}:${column}: ${detail}`,
    hint: () => 'Fix the JSON syntax at that position (comments and trailing commas are not allowed).',
  }),
  ATOLL_CONFIG_INVALID: define({
    title: 'App config is invalid',
    message: (file: string, problems: readonly string[]) =>
      `${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    hint: () => 'Fix every listed entry; each names its JSON path. The schema is src/config/app-config.schema.json.',
  }),
  ATOLL_TEMPLATE_INVALID: define({
    title: 'Template problem',
    message: (problems: readonly string[]) =>
      `The app's templates have ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    hint: () => 'Fix every listed template; each entry names the file, the route and what to change.',
  }),
  ATOLL_COMPONENT_BUILD_FAILED: define({
    title: 'Component failed to compile',
    message: (detail: string) => `esbuild could not compile the app's components:\n${detail}`,
    hint: () => 'Fix the TypeScript error at the file and line shown above.',
  }),
  ATOLL_COMPONENT_INVALID: define({
    title: 'Component module is invalid',
    message: (file: string, tag: string, detail: string) => `${file} (<${tag}>): ${detail}`,
    hint: (_file: string, tag: string) =>
      `The module must call customElements.define('${tag}', …) (or use @customElement('${tag}')) and may export an async function getServerData. A helper module that defines no element goes in a name starting with _ (components/_${tag}.ts) or in a folder without a hyphen (components/lib/).`,
  }),
  ATOLL_COMPONENT_BROWSER_ONLY: define({
    title: 'Component renders only in the browser',
    message: (file: string, tag: string, cause: string) =>
      `${file} (<${tag}>): importing it on the server threw "${cause}" (a library that reads browser globals when imported). <${tag}> is not rendered on the server: pages send it with its attributes and light DOM, and the browser renders it where it is an island; its getServerData and actions are not available.`,
    hint: (_file: string, tag: string) =>
      `Nothing to do for a browser-only library (Lion). Put <${tag}> in a page as an island (hydrate or hydrate="client-only"): as a static root it never loads in the browser. To render it on the server, import the library only in the browser (a dynamic import behind isServer from lit) or use a library that imports without a DOM.`,
  }),
  ATOLL_COMPONENT_ALREADY_DEFINED: define({
    title: 'Custom element defined twice',
    message: (tag: string, file: string) => `<${tag}> from ${file} is already defined in this process by different code.`,
    hint: () => 'Serve one app per process, or give the components of different apps distinct tag names.',
  }),
  ATOLL_DATA_HOOK_FAILED: define({
    title: 'getServerData failed',
    message: (routeId: string, tag: string, detail: string) => `getServerData of <${tag}> on route "${routeId}" threw: ${detail}`,
    hint: () => 'See the cause below. A data hook that cannot load its data should throw, or return { notFound: true }.',
  }),
  ATOLL_DATA_INVALID_RESULT: define({
    title: 'getServerData returned an invalid result',
    message: (routeId: string, tag: string, problems: readonly string[]) => `getServerData of <${tag}> on route "${routeId}" returned an invalid result: ${problems.join('; ')}`,
    hint: () => 'Return an object with only props, markup, cache, status, headers, redirect or notFound; see the getServerData reference in the README.',
  }),
  ATOLL_DATA_TIMEOUT: define({
    title: 'Page timed out',
    message: (routeId: string, ms: number, pending: readonly string[]) =>
      `Route "${routeId}" did not finish data and render within ${ms} ms` +
      (pending.length > 0 ? `; still waiting for getServerData of ${pending.map((t) => `<${t}>`).join(', ')}` : ''),
    hint: () => 'Make the data source faster, cache it in crossRequestCache, or raise SSR_TIMEOUT (milliseconds).',
  }),
  ATOLL_DATA_ROOT_TIMEOUT: define({
    title: 'Root timed out',
    message: (routeId: string, tag: string, ms: number) => `getServerData of <${tag}> on route "${routeId}" did not finish within its timeout of ${ms} ms; its signal was aborted.`,
    hint: () =>
      'Make the data source faster or cache it in crossRequestCache, raise the timeout attribute, or give the root a child with slot=fallback so the page shows it instead of failing.',
  }),
  ATOLL_DEFERRED_TIMEOUT: define({
    title: 'Deferred root still pending when the page timed out',
    message: (routeId: string, tag: string, ms: number) =>
      `Deferred root <${tag}> on route "${routeId}" had not arrived when the page's ${ms} ms deadline passed; it keeps its fallback and the document was ended.`,
    hint: () => "Make its data source faster, give it a timeout attribute below SSR_TIMEOUT (or the route's ssrTimeout), or raise the page deadline.",
  }),
  ATOLL_DEFERRED_RESULT_IGNORED: define({
    title: 'Deferred root returned what only the page can use',
    message: (routeId: string, tag: string, keys: readonly string[]) =>
      `Deferred root <${tag}> on route "${routeId}" returned ${keys.join(', ')}, which cannot take effect: the status, headers and <head> were sent before its data arrived. Its props and cache TTL were used.`,
    hint: () => 'Decide redirects, notFound, status, headers and head markup in a root without defer, or remove defer from this root.',
  }),
  ATOLL_TTL_INVALID: define({
    title: 'Invalid cache TTL',
    message: (where: string, value: unknown) => `${where}: TTL ${JSON.stringify(value)} is not a duration.`,
    hint: () => 'Use a number of seconds (60) or a string with a unit ("60s", "10 minutes", "1h", "2 days"); never negative.',
  }),
  ATOLL_LOCALE_PATH_INVALID: define({
    title: 'localePath called with a bad argument',
    message: (path: unknown, locale: unknown, locales: readonly string[]) =>
      `context.localePath(${JSON.stringify(path)}, ${JSON.stringify(locale)}): the path must start with one "/" and the locale be one of [${locales.join(', ')}].`,
    hint: () => 'Pass a path after basePath such as "/category/books", and a locale from i18n.locales (or none, for the request\'s own).',
  }),
  ATOLL_TRANSLATIONS_INVALID: define({
    title: 'Translation module is invalid',
    message: (file: string, detail: string) => `${file}: ${detail}.`,
    hint: () =>
      'locales/ holds the runtime-mode modules `lit-localize build` writes, one per locale of i18n.locales except defaultLocale, each named <locale>.ts and exporting `templates`.',
  }),
  ATOLL_RENDER_FAILED: define({
    title: 'Render failed',
    message: (routeId: string, tag: string, detail: string) => `Rendering <${tag}> on route "${routeId}" threw: ${detail}`,
    hint: () => 'A component must render without browser APIs on the server; guard them with isServer from lit.',
  }),
  ATOLL_ELEMENT_RENDERED_IN_BROWSER: define({
    title: 'Element left to the browser',
    message: (routeId: string, root: string, tag: string, stage: string, detail: string) =>
      `<${tag}> inside <${root}> on route "${routeId}" threw in its ${stage} on the server: ${detail}. It was sent unrendered (attributes and light DOM) and renders in the browser.`,
    hint: (_routeId: string, _root: string, tag: string) =>
      `Guard browser APIs in <${tag}> with isServer from lit, or add "${tag}" to clientOnly in app.config.json to skip its server render. It renders in the browser once its module loads there, that is when <${_root}> is an island. Logged once per tag and route.`,
  }),
  ATOLL_PROPS_NOT_SERIALIZABLE: define({
    title: 'Island props cannot be sent to the browser',
    message: (routeId: string, tag: string, keyPath: string, detail: string) => `Props of island <${tag}> on route "${routeId}" at ${keyPath}: ${detail}`,
    hint: () => 'Island props travel as JSON: use strings, numbers, booleans, null, arrays and plain objects only.',
  }),
  ATOLL_GENERATE_OUTPUT_INVALID: define({
    title: 'Unsafe output folder',
    message: (outDir: string, root: string) => `The output folder ${outDir} is the app folder ${root} or one of its parents; generate cleans it first.`,
    hint: () => 'Choose a folder of its own, such as site/ inside the app (--out or staticSite.outputDir).',
  }),
  ATOLL_GENERATE_PATH_INVALID: define({
    title: 'Page path cannot be generated',
    message: (url: string, where: string, detail: string) => `${where}: ${JSON.stringify(url)} ${detail}`,
    hint: () => 'List plain paths such as "/category/books" that stay inside the site and match a route.',
  }),
  ATOLL_GENERATE_SHARD_INVALID: define({
    title: 'Invalid --shard',
    message: (text: string) => `--shard must be i/n with 1 ≤ i ≤ n ≤ 1024, got ${JSON.stringify(text)}.`,
    hint: () => 'Run npm run generate -- --shard 2/4 to render the second quarter of the pages; run every shard from 1/4 to 4/4 and merge their folders.',
  }),
  ATOLL_GENERATE_PARAMS_MISSING: define({
    title: 'Route with parameters has no paths',
    message: (routeId: string, path: string) =>
      `Route "${routeId}" (${path}) has parameters, and neither staticSite.paths nor a getStaticPaths of its roots lists any; it was not generated.`,
    hint: () => 'Add its URLs to staticSite.paths, or export getStaticPaths() returning params objects from one of its root components.',
  }),
  ATOLL_GENERATE_PAGE_FAILED: define({
    title: 'A page failed to generate',
    message: (routeId: string, url: string, detail: string) => `Route "${routeId}", URL ${url}: ${detail}`,
    hint: () => 'Fix the page (it fails the same way on the server); no file was written for it and the command exits 1.',
  }),
  ATOLL_DETACHED_REJECTION: define({
    title: 'A promise rejected with nobody waiting for it',
    message: (detail: string) => `A promise rejected and nothing awaited it: ${detail}. The request that started it already has its response; serving continues.`,
    hint: () => 'Await every promise a data hook starts, or attach .catch to it; a detached promise cannot change the response.',
  }),
  ATOLL_UNCAUGHT_EXCEPTION: define({
    title: 'An exception escaped every handler',
    message: (detail: string) =>
      `An exception escaped every handler (for example a throw inside a timer): ${detail}. This worker stops accepting requests, finishes the ones in flight and exits; the supervisor starts a fresh one.`,
    hint: () => 'Find the timer or callback that throws (the stack is logged) and catch the error there.',
  }),
  ATOLL_WORKER_CRASH_LOOP: define({
    title: 'Workers keep crashing',
    message: (restarts: number, seconds: number) => `${restarts} workers exited unexpectedly within ${seconds} s; the supervisor stops instead of restarting forever.`,
    hint: () => 'Read the ATOLL_UNCAUGHT_EXCEPTION lines before this one and fix what throws.',
  }),
  ATOLL_CLI_UNKNOWN_COMMAND: define({
    title: 'Unknown command',
    message: (command: string) => `atoll: unknown command ${JSON.stringify(command)}.`,
    hint: () =>
      'Use one of: serve | dev | check [--browser] | generate | purge --url U (--tag T | --path /p)… [--hard], with [--root DIR] [--port N] [--host H] [--out DIR]; or new DIR.',
  }),
  ATOLL_CLI_ARGUMENTS_INVALID: define({
    title: 'Invalid command-line options',
    message: (args: readonly string[], detail: string) => `atoll: the options ${JSON.stringify(args)} cannot be read: ${detail}`,
    hint: () =>
      'The options are --root DIR, --port N, --host H, --out DIR, --browser (check only), and --url U, --tag T, --path /p, --hard (purge only); give a value that starts with a dash as --port=VALUE.',
  }),
  ATOLL_CLI_NUMBER_INVALID: define({
    title: 'Invalid number setting',
    message: (name: string, text: string, allowZero: boolean) => `${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${JSON.stringify(text)}.`,
    hint: (name: string, _text: string, allowZero: boolean) =>
      `Set ${name} to a whole number${allowZero ? ' (0 picks a free port)' : ' of at least 1'}, or leave it out for the default.`,
  }),
  ATOLL_NEW_TARGET_MISSING: define({
    title: 'No folder for the new app',
    message: (given: readonly string[]) => `atoll new takes exactly one folder, got ${given.length === 0 ? 'none' : JSON.stringify(given)}.`,
    hint: () => 'Run atoll new my-app: it creates the folder my-app (relative to the current one) and writes the starter app into it.',
  }),
  ATOLL_NEW_TARGET_NOT_EMPTY: define({
    title: 'Folder for the new app is not empty',
    message: (dir: string, entries: readonly string[]) =>
      entries.length === 0
        ? `${dir} exists and is not a folder.`
        : `${dir} already holds ${entries.slice(0, 5).join(', ')}${entries.length > 5 ? `, and ${entries.length - 5} more` : ''}; nothing was written.`,
    hint: () => 'Give atoll new a folder that does not exist yet or is empty; it never overwrites files.',
  }),
  ATOLL_PURGE_ARGUMENTS_MISSING: define({
    title: 'Purge is missing its target',
    message: (has: { url: boolean; target: boolean; token: boolean }) =>
      `atoll purge: missing ${[has.url ? '' : '--url', has.target ? '' : 'a --tag or --path', has.token ? '' : 'the ATOLL_PURGE_TOKEN environment variable'].filter((m) => m !== '').join(', ')}.`,
    hint: () =>
      'Run atoll purge --url http://host:port[basePath] --tag ROUTE_ID (or --path /p, both repeatable) [--hard], with ATOLL_PURGE_TOKEN set to the token the server was started with.',
  }),
  ATOLL_PURGE_REFUSED: define({
    title: 'Purge refused',
    message: (endpoint: string, status: number, body: string) => `atoll purge: ${endpoint} answered ${status}: ${body.slice(0, 500)}`,
    hint: (_endpoint: string, status: number) =>
      status === 404
        ? 'No purge endpoint there: start the server with ATOLL_PURGE_TOKEN set, and include its basePath in --url.'
        : status === 401
          ? 'The token was refused: set ATOLL_PURGE_TOKEN to the value the server was started with.'
          : 'Fix what the answer names (a tag or path it refused) and run the purge again.',
  }),
  ATOLL_REDIS_CONFIG_INVALID: define({
    title: 'Redis setting is invalid',
    message: (name: string, value: string, expected: string) => `${name} is ${JSON.stringify(value)}; it must be ${expected}.`,
    hint: (name: string) => `Fix ${name} in the environment, or unset REDIS_URL to run without the shared cache.`,
  }),
  ATOLL_REDIS_CLIENT_MISSING: define({
    title: 'Redis client not loaded',
    message: (detail: string) => `A Redis URL is set, but the Redis client is not there: ${detail}.`,
    hint: () =>
      "Run npm ci so that @redis/client resolves (it is one of Atoll's dependencies), or unset REDIS_URL to run without the shared cache. A program that calls serveApp itself passes connectRedis, or calls createServer, which loads the client.",
  }),
  ATOLL_REDIS_UNAVAILABLE: define({
    title: 'Redis is unavailable',
    message: (url: string, detail: string) => `The shared cache at ${url} cannot be used: ${detail}.`,
    hint: () =>
      "Pages are served from this instance's memory or rendered meanwhile; no request waits for Redis. Atoll reconnects with backoff and logs once when Redis is back. Check that redis-server runs and REDIS_URL points at it.",
  }),
  ATOLL_REDIS_MESSAGE_INVALID: define({
    title: 'Unreadable message from another instance',
    message: (channel: string, text: string) => `A message on the Redis channel ${channel} is not one Atoll sends; ignored: ${JSON.stringify(text)}.`,
    hint: () => 'Something other than Atoll publishes on this channel, or instances of different Atoll versions share one ATOLL_REDIS_PREFIX: give each deployment its own prefix.',
  }),
  ATOLL_CLIENT_GONE: define({
    title: 'Client went away',
    message: (routeId: string) => `The client of route "${routeId}" closed the connection before its page was sent.`,
    hint: () =>
      "Nothing to fix: the page's work stops and nothing is logged. This is the reason of the data hooks' context.signal; a hook can tell it from a timeout by signal.reason.code.",
  }),
  ATOLL_CACHE_TTL_INVALID: define({
    title: 'Invalid crossRequestCache TTL',
    message: (key: string, ttl: unknown) =>
      `crossRequestCache.set(${JSON.stringify(key)}): ttl must be a positive number of seconds, got ${typeof ttl === 'string' ? JSON.stringify(ttl) : String(ttl)}.`,
    hint: () => 'Pass the TTL as a finite number of seconds greater than 0, e.g. crossRequestCache.set(key, value, 60); nothing was stored.',
  }),
  ATOLL_ACTION_DUPLICATE: define({
    title: 'Form action name used twice on a route',
    message: (problems: readonly string[]) => `Form action names must be unique per route:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    hint: () => "Rename one of the actions (the name after ?/ in the form's action URL selects one), or move one component to another route.",
  }),
  ATOLL_ACTION_FAILED: define({
    title: 'Form action failed',
    message: (routeId: string, tag: string, action: string, detail: string) => `Action "${action}" of <${tag}> on route "${routeId}" threw: ${detail}`,
    hint: () => 'See the cause below. An action that refuses its input should return { status: 422, data } instead of throwing.',
  }),
  ATOLL_ACTION_INVALID_RESULT: define({
    title: 'Form action returned an invalid result',
    message: (routeId: string, tag: string, action: string, problems: readonly string[]) =>
      `Action "${action}" of <${tag}> on route "${routeId}" returned an invalid result: ${problems.join('; ')}`,
    hint: () => 'Return { redirect: "/path" }, { status, data } with status 200 or 400–599 and JSON data, any other JSON value, or nothing; see the forms section of the README.',
  }),
  ATOLL_HANDLER_INVALID: define({
    title: 'Route handler module is invalid',
    message: (routeId: string, file: string, detail: string) => `routeHandler ${file} of route "${routeId}": ${detail}`,
    hint: () =>
      'A handler module exports a function per method it answers (export async function GET(context) { … }, POST, PUT, PATCH, DELETE) or a default function for all of them; the route\'s "method" lists the methods (default ["GET"]).',
  }),
  ATOLL_HANDLER_FAILED: define({
    title: 'Route handler failed',
    message: (routeId: string, file: string, method: string, detail: string) => `routeHandler ${file} of route "${routeId}" threw on ${method}: ${detail}`,
    hint: () => 'See the cause below. A handler that refuses its input should return a response with a 4xx status ({ status: 422, body: { … } }) instead of throwing.',
  }),
  ATOLL_HANDLER_INVALID_RESULT: define({
    title: 'Route handler returned an invalid result',
    message: (routeId: string, file: string, method: string, problems: readonly string[]) =>
      `routeHandler ${file} of route "${routeId}" returned an invalid result on ${method}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    hint: () =>
      "Return { view: { contentTemplate | rootComponent, layoutTemplate? }, viewParams?, status?, headers?, cache? } naming one of the route's views, or { body: string | Buffer | JSON value, status?, headers? }; see the route handlers section of the README.",
  }),
  ATOLL_GENERATE_HANDLER_SKIPPED: define({
    title: 'Route handler not generated',
    message: (routeId: string, path: string) => `Route "${routeId}" (${path}) is answered by a routeHandler, which needs a server for every request; generate and check skip it.`,
    hint: () => 'Serve the app with npm start for this route, or give the URL a page route (contentTemplate or rootComponent) to prerender it.',
  }),
} as const;

export type ErrorCode = keyof typeof errors;
type ArgsOf<C extends ErrorCode> = Parameters<(typeof errors)[C]['message']>;

const kAtollError = Symbol.for('atoll.error');

/** Every error Atoll throws on purpose. `cause` keeps the original error. */
export class AtollError extends Error {
  readonly code: ErrorCode;
  readonly title: string;
  readonly hint: string;
  /** Where a request error happened, for the log line. */
  readonly routeId: string | undefined;
  readonly tag: string | undefined;
  readonly [kAtollError] = true;

  constructor(code: ErrorCode, message: string, hint: string, options?: AtollErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.routeId = options?.routeId;
    this.tag = options?.tag;
    const data = errors[code];
    this.name = 'AtollError';
    this.code = code;
    this.title = data.title;
    this.hint = hint;
  }

  /** Survives duplicated module instances (tests, dev reloads). */
  static is(value: unknown): value is AtollError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kAtollError] === true;
  }
}

export interface AtollErrorOptions {
  readonly cause?: unknown;
  readonly routeId?: string;
  readonly tag?: string;
}

export function atollError<C extends ErrorCode>(code: C, args: ArgsOf<C>, options?: AtollErrorOptions): AtollError {
  const data = errors[code] as unknown as ErrorData<ArgsOf<C>>;
  return new AtollError(code, data.message(...args), data.hint(...args), options);
}

/** A printable one-line description of anything thrown, including non-Errors. */
export function describeThrown(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'string') return value;
  try {
    return `non-Error value ${JSON.stringify(value)}`;
  } catch {
    return `non-Error value ${String(value)}`;
  }
}
