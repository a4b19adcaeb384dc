/**
 * The browser runtime of Atoll (bundled by src/compile/build-client.ts, never run on the server).
 * Lit's hydrate support must be evaluated before any LitElement class is defined, so it is this
 * module's first import and island modules are imported only afterwards.
 */
import '@lit-labs/ssr-client/lit-element-hydrate-support.js';
import {
  CANCELLED_EVENTS,
  DEFAULT_HYDRATE_MARGIN,
  DEFER_HYDRATION,
  FILL_EVENT,
  HYDRATE_ATTRIBUTE,
  HYDRATE_MARGIN_ATTRIBUTE,
  HYDRATION_CHECKED_ATTRIBUTE,
  ISLAND_ATTRIBUTE,
  PROPS_ATTRIBUTE,
  REPLAYED_EVENTS,
  WAKE_EVENTS,
  mediaQuery,
  parseHydrate,
  type HydrateMode,
} from '../island-protocol.js';

export interface BootOptions {
  /** tag → URL of the island's module, for the islands on this page only. */
  readonly modules: Readonly<Record<string, string>>;
  /** Report hydration mismatches in the console. */
  readonly dev: boolean;
  /** With translations: the module that configured @lit/localize, and the page's locale. */
  readonly localize?: { readonly module: string; readonly locale: string };
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export async function boot(options: BootOptions): Promise<void> {
  // Islands render msg() as they hydrate: the locale's templates must be loaded first, or the
  // first client render would be in the source locale and differ from the server's HTML.
  if (options.localize !== undefined) {
    const { setLocale } = (await import(/* @vite-ignore */ options.localize.module)) as { setLocale: (locale: string) => Promise<void> };
    await setLocale(options.localize.locale);
  }
  if (!Object.hasOwn(HTMLTemplateElement.prototype, 'shadowRootMode')) {
    const { hydrateShadowRoots } = await import('@webcomponents/template-shadowroot/template-shadowroot.js');
    hydrateShadowRoots(document.body);
  }
  const startIsland = (element: HTMLElement): void => {
    const attribute = element.getAttribute(HYDRATE_ATTRIBUTE);
    const start = (hydrated: () => void = () => {}) =>
      activate(element, options, hydrated).catch((error: unknown) => console.error(`Atoll: island <${element.localName}> failed to start`, error));
    schedule(element, attribute === null ? undefined : parseHydrate(attribute), start);
  };
  // A deferred root's fill that arrives after this ran is announced by the fill script; one that
  // arrived before is already in place and found below, so each island starts exactly once.
  document.addEventListener(FILL_EVENT, (event) => {
    const element = event.target as HTMLElement;
    if (element.hasAttribute(ISLAND_ATTRIBUTE)) startIsland(element);
  });
  for (const element of document.querySelectorAll<HTMLElement>(`[${ISLAND_ATTRIBUTE}]`)) startIsland(element);
}

type Start = (hydrated?: () => void) => Promise<void>;

/** When an island starts, by its directive (client-only and ssr:false roots start at once). */
function schedule(element: HTMLElement, mode: HydrateMode | undefined, start: Start): void {
  const query = mode === undefined ? undefined : mediaQuery(mode);
  if (mode === 'visible' && 'IntersectionObserver' in window) {
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          observer.disconnect();
          void start();
        }
      },
      { rootMargin: element.getAttribute(HYDRATE_MARGIN_ATTRIBUTE) ?? DEFAULT_HYDRATE_MARGIN },
    );
    observer.observe(element);
  } else if (mode === 'idle') {
    if ('requestIdleCallback' in window) requestIdleCallback(() => void start(), { timeout: 2000 });
    else setTimeout(() => void start(), 200);
  } else if (mode === 'interaction') {
    onInteraction(element, start);
  } else if (query !== undefined) {
    const list = matchMedia(query);
    const change = () => {
      if (!list.matches) return;
      list.removeEventListener('change', change);
      void start();
    };
    list.addEventListener('change', change);
    change();
  } else {
    void start();
  }
}

/**
 * `hydrate="interaction"`: the first pointerdown, touchstart, focusin or keydown inside the
 * island (or a click or input without one, as assistive technology sends) starts it. From page
 * load until it has hydrated, every trusted click, keydown and input inside it is held and then
 * replayed, in order, on its original target (the node in the shadow root; Lit hydrates the
 * server's DOM in place, so it is the same node):
 * - a click is cancelled (preventDefault) and its propagation stopped; the replayed copy runs the
 *   component's listeners and then the default action (toggle a checkbox, follow a link, submit),
 *   once;
 * - a keydown or input is not cancelled, so the character lands in the field as typed; its
 *   propagation is stopped and an untrusted copy is dispatched after hydration, which types
 *   nothing twice but lets the component's listeners see it (preventDefault on the copy can no
 *   longer stop the typing);
 * - each replayed event finds its text field (input, textarea, select) as it was when the event
 *   happened: hydration commits `.value=${…}` bindings and would otherwise erase what was typed;
 * - pointer, touch and focus events are not replayed; focus stays where the user put it.
 * Listeners of the page above the island see held events once, as the replayed copy, except
 * capture listeners, which saw the original too. Events are released even when the island
 * fails to start, so a click still does its default action.
 */
function onInteraction(element: HTMLElement, start: Start): void {
  const held: { target: EventTarget; event: Event; field: FieldState | undefined }[] = [];
  let woken = false;
  let released = false;
  const wake = () => {
    if (woken) return;
    woken = true;
    for (const type of WAKE_EVENTS) element.removeEventListener(type, wake, true);
    void start(release);
  };
  const hold = (event: Event) => {
    if (released || !event.isTrusted) return;
    const target = event.composedPath()[0] ?? element;
    held.push({ target, event, field: fieldState(target) });
    if (CANCELLED_EVENTS.includes(event.type)) event.preventDefault();
    event.stopPropagation();
    wake();
  };
  const release = () => {
    released = true;
    for (const type of REPLAYED_EVENTS) element.removeEventListener(type, hold, true);
    for (const { target, event, field } of held.splice(0)) {
      if (field !== undefined) restoreField(target as HTMLInputElement, field);
      const Copy = event.constructor as new (type: string, init: Event) => Event;
      target.dispatchEvent(new Copy(event.type, event));
    }
  };
  for (const type of REPLAYED_EVENTS) element.addEventListener(type, hold, true);
  for (const type of WAKE_EVENTS) element.addEventListener(type, wake, { capture: true, passive: true });
}

interface FieldState {
  readonly value: string;
  readonly selection: readonly [number | null, number | null];
}

/** A text field's value and selection when an event happened (input, textarea, select; not file inputs, whose value cannot be set). */
function fieldState(target: EventTarget): FieldState | undefined {
  const field = target as Partial<HTMLInputElement>;
  if (typeof field.value !== 'string' || field.type === 'file' || !(target instanceof HTMLElement)) return undefined;
  return { value: field.value, selection: [field.selectionStart ?? null, field.selectionEnd ?? null] };
}

/**
 * Hydration commits property bindings (`.value=${…}`), which would erase what was typed before
 * it: a held event is replayed with its field as it was when the event happened.
 */
function restoreField(field: HTMLInputElement, { value, selection: [start, end] }: FieldState): void {
  if (field.value === value) return;
  field.value = value;
  if (start !== null && end !== null && typeof field.setSelectionRange === 'function' && field.selectionStart !== null) field.setSelectionRange(start, end);
}

/**
 * Starts an island; `hydrated` runs once its first update is complete (or it failed), before the
 * development mismatch check, which may load code.
 */
async function activate(element: HTMLElement, { modules, dev }: BootOptions, hydrated: () => void): Promise<void> {
  try {
    let hydrating: boolean;
    try {
      hydrating = await hydrate(element, modules);
    } finally {
      hydrated();
    }
    if (dev && hydrating) {
      const { checkHydration } = await import('./check-hydration.js');
      await checkHydration(element);
    }
  } finally {
    if (dev) element.setAttribute(HYDRATION_CHECKED_ATTRIBUTE, '');
  }
}

/**
 * Sets the props the server used, then loads the element's module and lets it hydrate.
 * Lit keeps properties set before an element upgrades, and `defer-hydration` holds back the
 * first update until the props are in place.
 * Resolves once the first update is complete; true when it hydrated server HTML.
 */
async function hydrate(element: HTMLElement, modules: BootOptions['modules']): Promise<boolean> {
  const tag = element.localName;
  const url = modules[tag];
  if (url === undefined) throw new Error(`no module URL for <${tag}> on this page`);
  const script = document.querySelector(`script[type="application/json"][${PROPS_ATTRIBUTE}="${element.getAttribute(ISLAND_ATTRIBUTE)}"]`);
  const props = script === null ? {} : (JSON.parse(script.textContent ?? '{}') as Record<string, unknown>);
  for (const key of Object.keys(props)) {
    if (!UNSAFE_KEYS.has(key)) (element as unknown as Record<string, unknown>)[key] = props[key];
  }
  await import(/* @vite-ignore */ url);
  await customElements.whenDefined(tag);
  const hydrating = element.hasAttribute(DEFER_HYDRATION);
  element.removeAttribute(DEFER_HYDRATION);
  await (element as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete;
  return hydrating;
}
