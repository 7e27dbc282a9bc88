// How the function bundles include libphonenumber-js: the same library and full metadata
// (the number types are what the SMS-pumping defence refuses), made cheaper to load.
// Shared by scripts/build.mjs and the test that checks the result classifies numbers exactly
// like the library as published (tests/layout/phone-build.test.ts); CommonJS so that jest,
// which runs the tests as CommonJS, can require it too.

'use strict';
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

/** The same library and metadata, built for ES2015+ instead of through Babel's helpers. */
const libphonenumberAlias = { 'libphonenumber-js/max': 'libphonenumber-js/max/es6' };

/**
 * The metadata (245 countries, 150 KB) as a module that parses a country's entry the first
 * time it is read: a request needs one country or a few (+1 is shared by 25 countries), and
 * parsing all of it cost each cold start ~5 ms. `countries` and `nonGeographic` keep every
 * key, enumerable, so the library sees the same shape (keys, `hasOwnProperty`, lookups).
 */
// Two characters the metadata never holds (checked below): one between the entries of a table,
// one standing for JSON's escaped backslash (every `\\` of the patterns). The packed text then
// has no newline and no backslash, so the minifier writes it as a plain quoted string, which V8
// scans faster than the template literal a newline-separated one became (bench/HISTORY.md).
const SEPARATOR = '!';
const BACKSLASH = '%';

function lazyMetadataModule(metadata) {
  const { countries, nonGeographic, ...rest } = metadata;
  const pack = (table) => {
    const entries = Object.values(table).map((v) => JSON.stringify(v));
    if (entries.some((entry) => entry.includes(SEPARATOR) || entry.includes(BACKSLASH))) {
      throw new Error(
        `libphonenumber metadata now holds ${SEPARATOR} or ${BACKSLASH}: choose other characters in scripts/libphonenumber-build.cjs`,
      );
    }
    return [Object.keys(table).join(','), entries.map((entry) => entry.replaceAll('\\\\', BACKSLASH)).join(SEPARATOR)];
  };
  const json = (value) => JSON.stringify(value);
  return `const lazily = (keys, packed) => {
  const values = packed.split(${json(SEPARATOR)});
  const table = {};
  keys.split(',').forEach((key, i) => Object.defineProperty(table, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = JSON.parse(values[i].replaceAll(${json(BACKSLASH)}, ${json('\\\\')}));
      Object.defineProperty(table, key, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
  }));
  return table;
};
export default {
  ...JSON.parse(${json(json(rest))}),
  countries: lazily(${pack(countries).map(json).join(', ')}),
  nonGeographic: lazily(${pack(nonGeographic).map(json).join(', ')}),
};`;
}

/**
 * Also: the library builds a RegExp from a metadata pattern on every match (dozens per
 * number), while the patterns are a fixed set, so each is compiled once.
 */
const HOOKS = ['metadata', 'matchesEntirely'];

const libphonenumberPlugin = {
  name: 'libphonenumber',
  setup(b) {
    // Both replacements match files by path: a libphonenumber-js release that moved them would
    // silently bundle the slow originals, so a build that used the library without both fails.
    const fired = new Set();
    let used = false;
    b.onStart(() => {
      fired.clear();
      used = false;
    });
    b.onEnd(() => {
      const missing = HOOKS.filter((hook) => !fired.has(hook));
      if (used && missing.length > 0) {
        throw new Error(
          `the ${missing.join(' and ')} hook(s) did not fire: check the pinned libphonenumber-js version`,
        );
      }
    });
    // metadata.max.json.js re-exports metadata.max.json (browsers cannot import JSON).
    b.onLoad({ filter: /libphonenumber-js[\\/]metadata\.max\.json\.js$/ }, (args) => {
      fired.add('metadata');
      const metadata = JSON.parse(readFileSync(join(dirname(args.path), 'metadata.max.json'), 'utf8'));
      return { contents: lazyMetadataModule(metadata), loader: 'js' };
    });
    b.onLoad({ filter: /libphonenumber-js[\\/]es6(-modern)?[\\/]helpers[\\/]matchesEntirely\.js$/ }, () => {
      fired.add('matchesEntirely');
      return {
        contents: `const compiled = new Map();
export default function matchesEntirely(text, pattern) {
  let regexp = compiled.get(pattern);
  if (regexp === undefined) compiled.set(pattern, (regexp = new RegExp('^(?:' + pattern + ')$')));
  return regexp.test(text || '');
}`,
        loader: 'js',
      };
    });
    // Registered last: it sees only the library's other files, and lets them load as usual.
    b.onLoad({ filter: /libphonenumber-js[\\/]/ }, () => {
      used = true;
      return undefined;
    });
  },
};

module.exports = { libphonenumberAlias, libphonenumberPlugin, HOOKS };
