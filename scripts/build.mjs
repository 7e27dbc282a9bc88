// Builds what twilio-run serves and deploys (dist/) and the local tools (build/).
// Each function becomes ONE self-contained file: relative imports break once deployed,
// because the hosted runtime stores every function under a generated name.
import { build, transform } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { writeClientTypes } from './client-types.mjs';
import libphonenumber from './libphonenumber-build.cjs';

const root = new URL('..', import.meta.url).pathname;
const functions = readdirSync(join(root, 'functions')).filter((f) => f.endsWith('.ts'));
// Build beside dist/ and swap it in at the end, so a twilio-run serving dist/ (another
// terminal, a test run) never sees it half-written.
const staging = join(root, `dist.staging-${process.pid}`);
rmSync(staging, { recursive: true, force: true });

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', legalComments: 'none' };

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
// api.js, the page's only API module, is bundled with the typed client (client/), so the
// page calls the functions through the code generated from the contract.
mkdirSync(join(staging, 'assets'), { recursive: true });
for (const file of readdirSync(join(root, 'assets'))) {
  const source = join(root, 'assets', file);
  const target = join(staging, 'assets', file);
  const loader = { '.js': 'js', '.css': 'css' }[extname(file)];
  if (!loader) {
    copyFileSync(source, target);
    continue;
  }
  if (file === 'api.js') {
    await build({ entryPoints: [source], outfile: target, bundle: true, format: 'esm', platform: 'browser', target: 'es2020', minify: true, legalComments: 'none', logLevel: 'warning' });
    continue;
  }
  const { code } = await transform(readFileSync(source, 'utf8'), { loader, minify: true, target: loader === 'js' ? 'es2020' : undefined, legalComments: 'none' });
  writeFileSync(target, code);
}

// The contract: the OpenAPI document generated from the route registry (src/contract), served
// as the asset /openapi.json, and the typed client's types generated from it (client/schema.d.ts).
const contractModule = join(staging, 'openapi.cjs');
await build({ ...common, entryPoints: [join(root, 'src', 'contract', 'openapi.ts')], outfile: contractModule });
const { buildOpenApiDocument } = createRequire(import.meta.url)(contractModule);
rmSync(contractModule);
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const openApi = buildOpenApiDocument(version);
writeFileSync(join(staging, 'assets', 'openapi.json'), JSON.stringify(openApi));
await writeClientTypes(openApi);

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
const entryPoints = Object.fromEntries(Object.entries(tools).filter(([, file]) => existsSync(join(root, file))).map(([name, file]) => [name, join(root, file)]));
await build({ ...common, entryPoints, outdir: join(root, 'build'), packages: 'external', sourcemap: true });

console.log(`built ${functions.length} functions into dist/functions and ${Object.keys(entryPoints).length} tools into build/`);

