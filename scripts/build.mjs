// Builds what twilio-run serves and deploys (dist/) and the local tools (build/).
// Each function becomes ONE self-contained file: relative imports break once deployed,
// because the hosted runtime stores every function under a generated name.
import { build } from 'esbuild';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const functions = readdirSync(join(root, 'functions')).filter((f) => f.endsWith('.ts'));

rmSync(join(root, 'dist'), { recursive: true, force: true });

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', legalComments: 'none' };

await build({
  ...common,
  entryPoints: functions.map((f) => join(root, 'functions', f)),
  outdir: join(root, 'dist', 'functions'),
  // The runtime hands the client over through context.getTwilioClient(); never bundle the SDK.
  external: ['twilio'],
  minify: true,
});

cpSync(join(root, 'assets'), join(root, 'dist', 'assets'), { recursive: true });

// Local tools: the emulator, `npm start` and benchmarks. They may use the SDK from node_modules.
const tools = {
  emulator: 'emulator/cli.ts',
  start: 'scripts/start.ts',
  'start-twilio': 'scripts/start-twilio.ts',
  bench: 'bench/run.ts',
}
const entryPoints = Object.fromEntries(Object.entries(tools).filter(([, file]) => existsSync(join(root, file))).map(([name, file]) => [name, join(root, file)]));
await build({ ...common, entryPoints, outdir: join(root, 'build'), packages: 'external', sourcemap: true });

console.log(`built ${functions.length} functions into dist/functions and ${Object.keys(entryPoints).length} tools into build/`);
