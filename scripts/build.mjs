// Builds what twilio-run serves and deploys (dist/) and the local tools (build/).
// Each function becomes ONE self-contained file: relative imports break once deployed,
// because the hosted runtime stores every function under a generated name.
import { build, transform } from 'esbuild';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { buildClient } from './build-client.mjs';
import { writeClientTypes } from './client-types.mjs';
import libphonenumber from './libphonenumber-build.cjs';

const root = new URL('..', import.meta.url).pathname;
const functions = readdirSync(join(root, 'functions')).filter((f) => f.endsWith('.ts'));
// Build beside dist/ and swap it in at the end, so a twilio-run serving dist/ (another
// terminal, a test run) never sees it half-written.
const staging = join(root, `dist.staging-${process.pid}`);
rmSync(staging, { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  legalComments: 'none',
};

await build({
  ...common,
  entryPoints: functions.map((f) => join(root, 'functions', f)),
  outdir: join(staging, 'functions'),
  // The runtime hands the client over through context.getTwilioClient(); never bundle the SDK.
  external: ['twilio'],
  minify: true,
  alias: libphonenumber.libphonenumberAlias,
  plugins: [libphonenumber.libphonenumberPlugin],
});

// The page: readable sources in assets/, minified copies in dist/assets/ (what is deployed).
// app.js is bundled with its step modules (assets/page/, which include api.js and the typed
// client from client/) into one file: one request, and the page calls the functions through
// the code generated from the contract. The bundle is then minified as a script, not a module:
// esbuild keeps top-level names in a script (they could be globals), so every function and
// element name of the deployed page stays readable; only locals and parameters get short names
// (without that the page does not fit its 40 KB budget, bench/README.md).
mkdirSync(join(staging, 'assets'), { recursive: true });
const minifyScript = async (code, options = {}) =>
  (await transform(code, { loader: 'js', minify: true, target: 'es2020', legalComments: 'none', ...options })).code;
for (const entry of readdirSync(join(root, 'assets'), { withFileTypes: true })) {
  // page/ holds the page's modules (bundled into app.js); README.md is for people reading the repo.
  if (entry.isDirectory() || entry.name === 'README.md') continue;
  const file = entry.name;
  const source = join(root, 'assets', file);
  const target = join(staging, 'assets', file);
  if (file === 'app.js') {
    const bundled = await build({
      entryPoints: [source],
      write: false,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      charset: 'utf8',
      legalComments: 'none',
      logLevel: 'warning',
    });
    // A module script is always read as UTF-8: "’" can stay one character instead of "\u2019".
    writeFileSync(target, await minifyScript(bundled.outputFiles[0].text, { charset: 'utf8' }));
  } else if (extname(file) === '.js') {
    writeFileSync(target, await minifyScript(readFileSync(source, 'utf8')));
  } else if (extname(file) === '.css') {
    writeFileSync(
      target,
      (await transform(readFileSync(source, 'utf8'), { loader: 'css', minify: true, legalComments: 'none' })).code,
    );
  } else if (extname(file) === '.html') {
    // Comments and indentation go; a line break stays wherever there was white space, so the
    // page lays out exactly as written (no <pre> or <textarea> in these pages).
    writeFileSync(
      target,
      readFileSync(source, 'utf8')
        .replace(/<!--[\s\S]*?-->/g, '')
        .replace(/\n\s+/g, '\n'),
    );
  } else {
    copyFileSync(source, target);
  }
}

// The contract: the OpenAPI document generated from every route's own declaration (the
// `handler.declaration` of each functions/*.ts, which names its schemas without building them),
// served as the asset /openapi.json, and the typed client's types generated from it (client/schema.d.ts).
const contractModule = join(staging, 'openapi.cjs');
await build({
  ...common,
  stdin: {
    contents: [
      "export { buildOpenApiDocument } from './src/contract/openapi.ts';",
      "export { renderEnvExample } from './src/settings.ts';",
      ...functions.map((f, i) => `import { handler as route${i} } from './functions/${f}';`),
      `export const routes = [${functions.map((_, i) => `route${i}.declaration`).join(', ')}];`,
    ].join('\n'),
    resolveDir: root,
    loader: 'ts',
  },
  outfile: contractModule,
  packages: 'external',
});
const { buildOpenApiDocument, renderEnvExample, routes } = createRequire(import.meta.url)(contractModule);
rmSync(contractModule);
// The settings template, rendered from the one settings table (src/settings.ts).
writeFileSync(join(root, '.env.example'), renderEnvExample());
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const openApi = buildOpenApiDocument(version, routes);
writeFileSync(join(staging, 'assets', 'openapi.json'), JSON.stringify(openApi));
await writeClientTypes(openApi);
// The typed client as an installable package (client/dist/, see scripts/build-client.mjs).
await buildClient();

const previous = join(root, `dist.previous-${process.pid}`);
if (existsSync(join(root, 'dist'))) renameSync(join(root, 'dist'), previous);
renameSync(staging, join(root, 'dist'));
rmSync(previous, { recursive: true, force: true });

// Local tools: the emulator, `npm start` and benchmarks. They may use the SDK from node_modules.
const tools = {
  emulator: 'emulator/cli.ts',
  start: 'scripts/start.ts',
  'start-twilio': 'scripts/start-twilio.ts',
  bench: 'bench/run.ts',
  'deploy-rehearse': 'scripts/deploy-rehearse.ts',
  'fake-serverless-api': 'scripts/fake-serverless-api.ts',
};
const entryPoints = Object.fromEntries(
  Object.entries(tools)
    .filter(([, file]) => existsSync(join(root, file)))
    .map(([name, file]) => [name, join(root, file)]),
);
await build({ ...common, entryPoints, outdir: join(root, 'build'), packages: 'external', sourcemap: true });

console.log(
  `built ${functions.length} functions into dist/functions and ${Object.keys(entryPoints).length} tools into build/`,
);
