import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n, type Resource, type ResourceLanguage } from 'i18next';
import { LANGUAGES, type Language } from '../domain/portfolio.js';
import type { TranslationVars, Translator } from '../ports/translator.port.js';

/** The project's `locales/` folder: one sub-folder per language, one JSON file per namespace. */
export const LOCALES_DIR = fileURLToPath(new URL('../../locales/', import.meta.url));

/** A message key with no text in a language: a bug the locale tests exist to catch. */
export class MissingTranslationError extends Error {
  readonly code = 'missing-translation';
  constructor(
    readonly language: Language,
    readonly key: string,
  ) {
    super(`no text for ${key} in ${language}`);
    this.name = 'MissingTranslationError';
  }
}

/** Reads every `<dir>/<language>/<namespace>.json` into i18next resources. */
export function readLocales(dir: string = LOCALES_DIR): Resource {
  const resources: Resource = {};
  for (const language of LANGUAGES) {
    const folder = path.join(dir, language);
    const namespaces: ResourceLanguage = {};
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.json')).sort()) {
      const parsed: unknown = JSON.parse(readFileSync(path.join(folder, file), 'utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new Error(`${path.join(folder, file)}: a namespace file holds one JSON object`);
      }
      namespaces[file.slice(0, -'.json'.length)] = parsed as ResourceLanguage;
    }
    resources[language] = namespaces;
  }
  return resources;
}

/** Texts kept by {@link I18nextTranslator}: menus and prompts repeat, amounts vary. */
const MAX_REMEMBERED = 5_000;

/**
 * {@link Translator} over an i18next instance of its own, loaded synchronously from `locales/`
 * at construction. Texts go to chat channels, not HTML: no escaping.
 *
 * The resources never change after construction, so a text is a function of its language,
 * key and variables: each is resolved by i18next once and remembered (a bounded number of
 * them), because every turn says the same menu and prompts again.
 */
export class I18nextTranslator implements Translator {
  private readonly i18n: i18n;
  private readonly remembered = new Map<string, string>();

  constructor(resources: Resource = readLocales()) {
    this.i18n = i18next.createInstance();
    const namespaces = [...new Set(Object.values(resources).flatMap((r) => Object.keys(r)))];
    void this.i18n.init({
      initAsync: false,
      resources,
      ns: namespaces,
      defaultNS: 'common',
      lng: LANGUAGES[0],
      fallbackLng: false,
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  }

  /** Loads the translator from a locales folder (default: the project's). */
  static load(dir: string = LOCALES_DIR): I18nextTranslator {
    return new I18nextTranslator(readLocales(dir));
  }

  t(language: Language, key: string, vars: TranslationVars = {}): string {
    const id = `${language}\u0000${key}\u0000${JSON.stringify(vars)}`;
    const known = this.remembered.get(id);
    if (known !== undefined) return known;
    if (!this.i18n.exists(key, { lng: language, ...vars })) throw new MissingTranslationError(language, key);
    const text = this.i18n.t(key, { lng: language, ...vars });
    if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
    this.remembered.set(id, text);
    return text;
  }
}
