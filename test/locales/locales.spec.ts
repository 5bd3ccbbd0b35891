import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Resource } from 'i18next';
import { MENU } from '../../bots/menu.js';
import { I18nextTranslator, LOCALES_DIR, MissingTranslationError, readLocales } from '../../core/infra/i18next-translator.js';
import { LANGUAGES, type Language } from '../../core/domain/portfolio.js';

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Every string of a resource set: language -> `ns:key` -> text. */
function flatten(resources: Resource): Map<Language, Map<string, string>> {
  const out = new Map<Language, Map<string, string>>();
  for (const language of LANGUAGES) {
    const texts = new Map<string, string>();
    for (const [ns, keys] of Object.entries(resources[language] ?? {})) {
      for (const [key, text] of Object.entries(keys as Record<string, unknown>)) texts.set(`${ns}:${key}`, String(text));
    }
    out.set(language, texts);
  }
  return out;
}

function variables(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.-]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]!);
}

/**
 * What is wrong with a resource set: a key (plural forms aside) in one language only, a
 * variable used in one language only, a plural key lacking a form its language needs.
 */
function problems(resources: Resource): string[] {
  const found: string[] = [];
  const texts = flatten(resources);
  const base = new Map<Language, Map<string, { vars: Set<string>; forms: Set<string> }>>();
  for (const [language, entries] of texts) {
    const keys = new Map<string, { vars: Set<string>; forms: Set<string> }>();
    for (const [key, text] of entries) {
      const form = PLURAL.exec(key)?.[1];
      const name = key.replace(PLURAL, '');
      const entry = keys.get(name) ?? { vars: new Set<string>(), forms: new Set<string>() };
      for (const v of variables(text)) entry.vars.add(v);
      if (form) entry.forms.add(form);
      keys.set(name, entry);
    }
    base.set(language, keys);
  }
  const [first, ...others] = LANGUAGES;
  const reference = base.get(first)!;
  for (const other of others) {
    const keys = base.get(other)!;
    for (const key of reference.keys()) if (!keys.has(key)) found.push(`${key}: in ${first} only`);
    for (const key of keys.keys()) if (!reference.has(key)) found.push(`${key}: in ${other} only`);
    for (const [key, entry] of reference) {
      const theirs = keys.get(key);
      if (!theirs) continue;
      const a = [...entry.vars].sort().join(',');
      const b = [...theirs.vars].sort().join(',');
      if (a !== b) found.push(`${key}: variables {${a}} in ${first} but {${b}} in ${other}`);
    }
  }
  for (const [language, keys] of base) {
    const needed = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
    for (const [key, entry] of keys) {
      if (!entry.forms.size) continue;
      for (const form of needed) if (!entry.forms.has(form)) found.push(`${key}: ${language} lacks the plural form ${form}`);
      // Every form of a plural key must speak of the same things.
      for (const [full, text] of texts.get(language)!) {
        if (full.replace(PLURAL, '') !== key) continue;
        const vars = variables(text).sort().join(',');
        if (vars !== [...entry.vars].sort().join(',')) found.push(`${full}: variables differ between plural forms`);
      }
    }
  }
  return found;
}

/** Every `ns:key` literal in the bot's source. */
function keysUsedInBots(namespaces: readonly string[]): Set<string> {
  const used = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts')) {
        for (const m of readFileSync(file, 'utf8').matchAll(/['"`]([a-z]+):([a-z0-9-]+)['"`]/g)) {
          if (namespaces.includes(m[1]!)) used.add(`${m[1]}:${m[2]}`);
        }
      }
    }
  };
  walk(path.join(LOCALES_DIR, '..', 'bots'));
  return used;
}

describe('locales', () => {
  const resources = readLocales();
  const texts = flatten(resources);

  it('has the same namespaces in every language, one per flow plus common', () => {
    const names = LANGUAGES.map((l) => readdirSync(path.join(LOCALES_DIR, l)).sort().join(','));
    expect(new Set(names).size).to.equal(1);
    expect(names[0]!.split(',')).to.include.members(['common.json', 'verify.json', 'balance.json', 'pay.json', 'promise.json', 'dispute.json', 'human.json', 'plan.json', 'optout.json', 'language.json', 'menu.json', 'notice.json']);
  });

  it('has the same keys and the same interpolation variables in every language', () => {
    expect(problems(resources)).to.deep.equal([]);
  });

  it('fails when a key or a variable exists in one language only, or a plural form is missing', () => {
    const broken: Resource = {
      es: { common: { hello: 'Hola {{name}}', only_es: 'sí', days_one: '{{count}} día', days_other: '{{count}} días' } },
      en: { common: { hello: 'Hello {{fullName}}', days_one: '{{count}} day', days_other: '{{count}} days' } },
    };
    expect(problems(broken)).to.have.members([
      'common:only_es: in es only',
      'common:hello: variables {name} in es but {fullName} in en',
      'common:days: es lacks the plural form many',
    ]);
  });

  it('has text for every key the bot names, in every language', () => {
    const namespaces = Object.keys(resources.es ?? {});
    const used = keysUsedInBots(namespaces);
    // Keys the bot builds from a name: main-menu labels and headings, payment-link outcomes.
    for (const item of MENU) used.add(`menu:${item}`);
    for (const heading of ['prompt', 'anything-else', 'not-understood']) used.add(`menu:${heading}`);
    for (const reason of ['nothing-due', 'unknown-invoice', 'mixed-currencies']) used.add(`pay:${reason}`);
    expect(used.size).to.be.greaterThan(40);
    const translator = I18nextTranslator.load();
    for (const language of LANGUAGES) {
      for (const key of used) expect(() => translator.t(language, key, { count: 2 }), `${language} ${key}`).to.not.throw();
    }
  });

  it('names the creditor and says how to stop automatic messages in the first message', () => {
    for (const language of LANGUAGES) {
      const welcome = texts.get(language)!.get('common:welcome')!;
      expect(welcome).to.include('{{creditor}}');
      expect(welcome).to.match(/BAJA|STOP/);
    }
  });

  it('never threatens: no courts, police, seizures or invented legal consequences', () => {
    const threats = /demanda|juicio|juzgado|tribunal|c[aá]rcel|embargo|polic[ií]a|arresto|denuncia|consecuencias legales|amenaza|lawsuit|\bsue\b|court|jail|arrest|police|garnish|legal action|seize|threat/i;
    for (const [language, entries] of texts) {
      for (const [key, text] of entries) expect(threats.test(text), `${language} ${key}: ${text}`).to.equal(false);
    }
  });
});

describe('I18nextTranslator', () => {
  const translator = I18nextTranslator.load();

  it('interpolates without escaping (chat text, not HTML)', () => {
    expect(translator.t('es', 'common:hello-name', { name: 'Ana & <Luis>' })).to.equal('Hola, Ana & <Luis>.');
    expect(translator.t('en', 'common:hello-name', { name: 'John' })).to.equal('Hello, John.');
  });

  it('picks plural forms by count in each language', () => {
    expect(translator.t('es', 'verify:mismatch', { count: 1 })).to.include('Le queda 1 intento');
    expect(translator.t('es', 'verify:mismatch', { count: 2 })).to.include('Le quedan 2 intentos');
    expect(translator.t('es', 'verify:mismatch', { count: 1_000_000 })).to.include('intentos');
    expect(translator.t('en', 'verify:mismatch', { count: 1 })).to.include('You have 1 attempt left');
  });

  it('throws on a key that has no text, rather than showing the key to a person', () => {
    expect(() => translator.t('es', 'common:no-such-key')).to.throw(MissingTranslationError);
    expect(() => translator.t('en', 'nosuchns:key')).to.throw(MissingTranslationError);
  });
});
