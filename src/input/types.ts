/** Public types of form actions (a root component module's `actions` export). */

/** One uploaded file of a multipart post, read whole into memory (bounded by forms.maxFileSize). */
export interface UploadedFile {
  readonly filename: string;
  readonly type: string;
  readonly data: Buffer;
}

export type FormValue = string | UploadedFile;

/** Field name → value; a name sent more than once → an array. A null-prototype object: `__proto__` is a field like any other. */
export type FormFields = Readonly<Record<string, FormValue | readonly FormValue[]>>;

/** Options of `setCookie`; defaults: path basePath or "/", httpOnly, sameSite "lax", signed when COOKIE_SECRET is set. */
export interface CookieOptions {
  maxAge?: number;
  expires?: Date;
  path?: string;
  domain?: string;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: 'lax' | 'strict' | 'none';
  signed?: boolean;
}

/** What a form action and a route handler both get about the request, and how they set cookies. */
export interface InputContext {
  /** Path and query as requested, without basePath. */
  readonly url: string;
  readonly params: Readonly<Record<string, string | readonly string[]>>;
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  readonly locale: string;
  readonly basePath: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** As in getServerData: with COOKIE_SECRET set, only cookies whose signature verifies. */
  readonly cookies: Readonly<Record<string, string | undefined>>;
  setCookie(name: string, value: string, options?: CookieOptions): void;
  /** Sets an expired cookie of that name (same path as setCookie's default unless given). */
  clearCookie(name: string, options?: Pick<CookieOptions, 'path' | 'domain'>): void;
}

export interface ActionContext extends InputContext {
  /** The action's name, from `?/name` in the form's action URL. */
  readonly action: string;
  readonly form: FormFields;
}

/**
 * What an action returns: `{ redirect: "/cart" }` (303 See Other), `{ status, data }`, any other
 * JSON value (it is the data, status 200), or nothing.
 */
export type ActionReturn = { redirect: string } | { status?: number; data?: unknown } | unknown;

export type FormAction = (context: ActionContext) => Promise<ActionReturn> | ActionReturn;

/** What every root's getServerData sees as `context.actionResult` when the page renders after an action. */
export interface ActionResult {
  readonly action: string;
  /** 200, or the status the action returned (400–599, e.g. 422 for a form with errors). */
  readonly status: number;
  readonly data: unknown;
}

/** Set-Cookie on one response, with Atoll's defaults and signing (server/cookie-jar.ts). */
export interface CookieJar {
  set(name: string, value: string, options?: CookieOptions): void;
  clear(name: string, options?: Pick<CookieOptions, 'path' | 'domain'>): void;
}
