import { AsyncLocalStorage } from 'node:async_hooks';
import { _installMsgImplementation } from '@lit/localize/init/install.js';
import { runtimeMsg } from '@lit/localize/internal/runtime-msg.js';
import type { MsgFn, TemplateMap } from '@lit/localize';

/** The app's translations: locale → the `templates` its `locales/<locale>.ts` exports (the source locale has none). */
export type Translations = ReadonlyMap<string, TemplateMap>;

/** What one request renders with: its locale's templates (undefined: the source strings). */
interface LocaleScope {
  readonly templates: TemplateMap | undefined;
}

const kScope = Symbol.for('atoll.localize.scope');

/**
 * @lit/localize keeps its one `msg` implementation in module state and takes it once per
 * process, while requests in different locales render concurrently. Atoll installs, once, a
 * `msg` that reads the templates of the request it is called in from an AsyncLocalStorage:
 * data hooks and whole-page renders inherit the request's scope across every await; a
 * streamed render, resumed by the socket in no request's context, re-enters the scope at every
 * synchronous step (bindToLocale). The storage hangs on globalThis, not on this module, because
 * @lit/localize is one instance per process even when this module is loaded twice (tests).
 */
function scopeStorage(): AsyncLocalStorage<LocaleScope> {
  const holder = globalThis as unknown as Record<symbol, AsyncLocalStorage<LocaleScope> | undefined>;
  let storage = holder[kScope];
  if (storage === undefined) {
    const created = new AsyncLocalStorage<LocaleScope>();
    _installMsgImplementation(((template, options) => runtimeMsg(created.getStore()?.templates, template, options)) as MsgFn);
    holder[kScope] = storage = created;
  }
  return storage;
}

/** Installs Atoll's `msg` at startup, so an app that configures @lit/localize itself fails there, not on its first request. */
export function installLocalizedMsg(): void {
  scopeStorage();
}

/**
 * Runs `work` (data hooks and render of one page) with `msg()` answering in `locale`; a message
 * the locale's templates lack falls back to the source string, as @lit/localize does. Without
 * translations `work` runs as it is and `msg()` keeps returning the source strings.
 */
export function inLocale<T>(translations: Translations | undefined, locale: string, work: () => T): T {
  if (translations === undefined) return work();
  return scopeStorage().run({ templates: translations.get(locale) }, work);
}

/** Runs a synchronous step. */
export type StepRunner = <T>(step: () => T) => T;

const direct: StepRunner = (step) => step();

/**
 * A runner that puts each step back into the locale scope current now, for work that resumes
 * outside it (a stream pulled by the socket). Call it where the request's scope is current.
 */
export function bindToLocale(): StepRunner {
  const holder = globalThis as unknown as Record<symbol, AsyncLocalStorage<LocaleScope> | undefined>;
  const storage = holder[kScope];
  const scope = storage?.getStore();
  if (storage === undefined || scope === undefined) return direct;
  return (step) => storage.run(scope, step);
}
