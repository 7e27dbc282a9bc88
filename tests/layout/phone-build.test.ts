// The function bundles include libphonenumber-js through scripts/libphonenumber-build.cjs
// (metadata parsed per country on first use, patterns compiled once). This checks that
// phone.ts built that way classifies numbers exactly like phone.ts on the library as
// published, for every country: the SMS-pumping defence depends on those number types.
import { build } from 'esbuild';
import { join } from 'node:path';
import metadata from 'libphonenumber-js/metadata.max.json';
import examples from 'libphonenumber-js/examples.mobile.json';

const { libphonenumberAlias, libphonenumberPlugin } = require('../../scripts/libphonenumber-build.cjs');

const root = join(__dirname, '..', '..');
type Normalize = (input: string, country?: string) => unknown;

async function bundlePhone(asDeployed: boolean): Promise<{ normalize: Normalize; code: string }> {
  const result = await build({
    entryPoints: [join(root, 'src', 'domain', 'phone.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    ...(asDeployed ? { alias: libphonenumberAlias, plugins: [libphonenumberPlugin] } : {}),
  });
  const code = result.outputFiles[0].text;
  const module = { exports: {} as { normalizePhoneNumber: Normalize } };
  new Function('module', 'exports', 'require', code)(module, module.exports, require);
  return { normalize: module.exports.normalizePhoneNumber, code };
}

/** A small seeded generator: the corpus is the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  input: string;
  country?: string;
}

function corpus(): Case[] {
  const next = random(20261126);
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 10)).join('');
  const cases: Case[] = [];
  const countries = (metadata as unknown as { countries: Record<string, [string, string, string, number[]?]> })
    .countries;
  for (const [country, entry] of Object.entries(countries)) {
    const [callingCode, , , lengths = [8, 9, 10]] = entry;
    const example = (examples as Record<string, string>)[country];
    if (example) cases.push({ input: `+${callingCode}${example}` }, { input: example, country });
    for (let i = 0; i < 24; i++) {
      const length = lengths[Math.floor(next() * lengths.length)];
      const national = `${1 + Math.floor(next() * 9)}${digits(length - 1)}`;
      cases.push(i % 4 === 0 ? { input: national, country } : { input: `+${callingCode}${national}` });
    }
  }
  return cases;
}

const outcome = (normalize: Normalize, c: Case) => {
  try {
    return JSON.stringify(normalize(c.input, c.country));
  } catch (error) {
    return `error:${(error as { code?: string }).code}`;
  }
};

describe('libphonenumber as the function bundles include it', () => {
  it('classifies every country’s numbers exactly like the published library', async () => {
    const [deployed, published] = await Promise.all([bundlePhone(true), bundlePhone(false)]);
    // The build changes are really in play (else this test compares the library with itself).
    expect(deployed.code).toMatch(/lazily\(\s*"[A-Z]{2},/);
    expect(published.code).not.toMatch(/lazily\(\s*"[A-Z]{2},/);

    const cases = corpus();
    const differences = cases
      .map((c) => ({ ...c, deployed: outcome(deployed.normalize, c), published: outcome(published.normalize, c) }))
      .filter((d) => d.deployed !== d.published);
    expect(differences.slice(0, 10)).toEqual([]);

    // The corpus reaches the types the defence acts on, and invalid numbers too.
    const types = new Set(
      cases.map((c) => outcome(published.normalize, c)).map((o) => /"type":"(\w+)"/.exec(o)?.[1] ?? o),
    );
    expect(cases.length).toBeGreaterThan(6000);
    for (const type of [
      'MOBILE',
      'FIXED_LINE',
      'FIXED_LINE_OR_MOBILE',
      'TOLL_FREE',
      'PREMIUM_RATE',
      'error:invalid_phone_number',
    ]) {
      expect(types).toContain(type);
    }
  });

  it('uses both replacements, and a build where one no longer matches fails instead of shipping the slow original', async () => {
    const { code } = await bundlePhone(true);
    expect(code).toMatch(/lazily\(\s*"[A-Z]{2},/); // the metadata hook
    expect(code).toMatch(/var compiled = (\/\* @__PURE__ \*\/ )?new Map\(\)/); // the matchesEntirely hook
    // The same plugin, with one hook's file moved (as a new library release could do).
    const { HOOKS }: { HOOKS: string[] } = require('../../scripts/libphonenumber-build.cjs');
    expect(HOOKS).toEqual(['metadata', 'matchesEntirely']);
    const unmatched = {
      name: 'moved-file',
      setup(b: { onResolve: (o: { filter: RegExp }, cb: () => { path: string }) => void }) {
        b.onResolve({ filter: /matchesEntirely(\.js)?$/ }, () => ({
          path: join(root, 'node_modules', 'libphonenumber-js', 'build', 'helpers', 'matchesEntirely.js'),
        }));
      },
    };
    await expect(
      build({
        entryPoints: [join(root, 'src', 'domain', 'phone.ts')],
        bundle: true,
        platform: 'node',
        write: false,
        logLevel: 'silent',
        alias: libphonenumberAlias,
        plugins: [unmatched, libphonenumberPlugin],
      }),
    ).rejects.toThrow(/matchesEntirely hook\(s\) did not fire/);
  });
});
