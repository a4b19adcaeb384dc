import type { FastifyBaseLogger } from 'fastify';
import type { ComponentRegistry } from '../compile/load-server-components.js';
import { atollError } from '../errors.js';

/** Logs ATOLL_COMPONENT_BROWSER_ONLY once per component whose module needs a browser to import (at startup, and after a dev reload). */
export function warnBrowserOnly(log: FastifyBaseLogger, components: ComponentRegistry): void {
  for (const component of components.values()) {
    if (component.browserOnly === undefined) continue;
    const error = atollError('ATOLL_COMPONENT_BROWSER_ONLY', [component.file, component.tag, component.browserOnly]);
    log.warn({ code: error.code, tag: component.tag, file: component.file }, `${error.message} ${error.hint}`);
  }
}
