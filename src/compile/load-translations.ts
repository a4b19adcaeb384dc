import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { TemplateMap } from '@lit/localize';
import type { I18nConfig } from '../config/app-config.js';
import { atollError, describeThrown } from '../errors.js';
import { installLocalizedMsg, type Translations } from '../render/localize.js';
import { buildFailed, serverBuildOptions } from './esbuild-options.js';
import { writeContentAddressed } from './write-content-addressed.js';

const EXTENSIONS = ['.ts', '.js'] as const;

/**
 * The translation modules of an app: `locales/<locale>.ts|.js`, as `lit-localize build` writes
 * them in runtime mode. Each locale must be one of i18n.locales other than defaultLocale (the
 * source locale, whose strings are in the components). No folder: no translations.
 */
export function findTranslations(appRoot: string, i18n: I18nConfig): ReadonlyMap<string, string> {
  const dir = path.join(appRoot, 'locales');
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const found = new Map<string, string>();
  for (const entry of entries) {
    const ext = EXTENSIONS.find((e) => entry.endsWith(e) && !entry.endsWith(`.d${e}`));
    if (ext === undefined) continue;
    const locale = entry.slice(0, -ext.length);
    const file = path.join(dir, entry);
    if (locale === i18n.defaultLocale || !i18n.locales.includes(locale)) {
      const why =
        locale === i18n.defaultLocale
          ? `"${locale}" is i18n.defaultLocale, the source locale: its strings are the ones in the components`
          : `"${locale}" is not in i18n.locales [${i18n.locales.join(', ')}]`;
      throw atollError('ATOLL_TRANSLATIONS_INVALID', [file, why]);
    }
    if (found.has(locale)) throw atollError('ATOLL_TRANSLATIONS_INVALID', [file, `locale "${locale}" has another file, ${found.get(locale)}`]);
    found.set(locale, file);
  }
  return found;
}

/**
 * Compiles and imports each translation module for the server (Lit and @lit/localize stay
 * external, so `html` and `str` are the instances the components use) and installs Atoll's
 * msg(). Returns undefined when the app has no translations.
 */
export async function loadTranslations(appRoot: string, files: ReadonlyMap<string, string>): Promise<Translations | undefined> {
  if (files.size === 0) return undefined;
  installLocalizedMsg();
  const translations = new Map<string, TemplateMap>();
  for (const [locale, file] of files) {
    let outputFiles;
    try {
      ({ outputFiles } = await build({ ...serverBuildOptions(appRoot), entryPoints: [file], entryNames: `locale-${locale}-[hash]` }));
    } catch (error) {
      throw buildFailed(error);
    }
    writeContentAddressed(outputFiles);
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(outputFiles[0]!.path).href)) as Record<string, unknown>;
    } catch (error) {
      throw atollError('ATOLL_TRANSLATIONS_INVALID', [file, `importing it threw: ${describeThrown(error)}`], { cause: error });
    }
    const templates = module['templates'];
    if (typeof templates !== 'object' || templates === null || Array.isArray(templates)) {
      throw atollError('ATOLL_TRANSLATIONS_INVALID', [file, `it exports no \`templates\` object (found ${templates === null ? 'null' : typeof templates})`]);
    }
    translations.set(locale, templates as TemplateMap);
  }
  return translations;
}
