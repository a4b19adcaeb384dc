import { createHash } from 'node:crypto';
import { DEFERRED_ATTRIBUTE, FILL_ATTRIBUTE, FILL_EVENT } from '../island-protocol.js';

/**
 * The inline browser code of a page with deferred roots, written once after the main body.
 * `atollFill()` takes every `<template data-atoll-fill="i">` parsed so far, and puts the element it
 * holds in the place of `[data-atoll-deferred="i"]` (the root showing its fallback).
 *
 * Mechanism: Chromium (and the current HTML spec) attaches a declarative shadow root inside
 * `<template>` content, so the template's element already has its shadow roots, nested ones
 * included: `document.adoptNode` moves it into the page with them (styles apply, slots work).
 * A browser that leaves `<template shadowrootmode>` as a plain template there gets the element
 * parsed again with `setHTMLUnsafe`, which does attach declarative shadow roots. The element is
 * announced with a bubbling FILL_EVENT, which the island runtime hears to hydrate it.
 */
export const FILL_SCRIPT_BODY =
  `self.atollFill=function(){document.querySelectorAll('template[${FILL_ATTRIBUTE}]').forEach(function(t){` +
  `var p=document.querySelector('[${DEFERRED_ATTRIBUTE}="'+t.getAttribute('${FILL_ATTRIBUTE}')+'"]'),e=t.content.firstElementChild;t.remove();` +
  `if(!p||!e)return;if(!e.shadowRoot&&e.querySelector(':scope>template[shadowrootmode]')&&p.setHTMLUnsafe){var d=document.createElement('div');d.setHTMLUnsafe(t.innerHTML);e=d.firstElementChild}` +
  `else e=document.adoptNode(e);p.replaceWith(e);e.dispatchEvent(new Event('${FILL_EVENT}',{bubbles:true}))})};atollFill()`;

/** Written after each fill: the same text every time, so a Content-Security-Policy needs one hash for it. */
export const FILL_TRIGGER_BODY = 'atollFill()';

/**
 * `'sha256-…'` sources of both scripts for a Content-Security-Policy `script-src`. They are
 * fixed for a given Atoll version (the scripts do not change per page), so a policy can list them
 * instead of allowing 'unsafe-inline'.
 */
export const FILL_SCRIPT_HASHES: readonly string[] = [FILL_SCRIPT_BODY, FILL_TRIGGER_BODY].map((body) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);

export const FILL_SCRIPT = `<script>${FILL_SCRIPT_BODY}</script>\n`;
export const FILL_TRIGGER = `<script>${FILL_TRIGGER_BODY}</script>\n`;
