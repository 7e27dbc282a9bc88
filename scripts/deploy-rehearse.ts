// `npm run deploy:rehearse`: runs the real `twilio-run deploy` (and through it
// @twilio-labs/serverless-api) against a fake Serverless API (scripts/fake-serverless-api.ts,
// nock, no network), checks what would be created, then rebuilds the upload in an empty
// directory with only the declared dependencies and serves a request through each function
// with @twilio/runtime-handler, as the hosted runtime would.
//
//   node build/deploy-rehearse.js [--env path/to/.env | --placeholders] [--json report.json] [--keep]
//   (without a .env and without --env: the placeholders of scripts/rehearsal-env.ts, said so)
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DeployRecord, RecordedUpload } from './fake-serverless-api';
import { SETTINGS } from '../src/settings';
import { getRoutes } from './local-front';
import { chooseRehearsalEnv, type RehearsalEnv } from './rehearsal-env';

const root = join(__dirname, '..');
/** The hosted runtime provides these; a deploy must never send them, or local-only settings. */
/** Below this an admin token can be guessed; the one npm start generates is 32 characters. */
const MIN_ADMIN_TOKEN_LENGTH = 24;
const NEVER_UPLOADED = ['ACCOUNT_SID', 'AUTH_TOKEN', 'VERIFY_EMULATOR_HOST'];
const FAKE_ACCOUNT_SID = `AC${'0f'.repeat(16)}`;
const FAKE_AUTH_TOKEN = '0f'.repeat(16);

export interface RehearsalReport {
  ok: boolean;
  /** Rehearsed with the placeholders of scripts/rehearsal-env.ts (no .env), not real settings. */
  placeholders?: boolean;
  problems: string[];
  runtime?: string;
  functions: Array<{ path: string; visibility: string; bytes: number }>;
  assets: Array<{ path: string; visibility: string; bytes: number }>;
  dependencies: Record<string, string>;
  /** Keys sent, with values masked. */
  variables: string[];
  served: Array<{ path: string; status: number; contentType: string; code?: string }>;
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

/** A throw-away copy of what `npm run deploy` deploys from: package.json, the rc file, .env, dist/. */
function stageProject(envPath: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-rehearsal-project-'));
  for (const file of ['package.json', '.twilioserverlessrc']) cpSync(join(root, file), join(dir, file));
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
  cpSync(envPath, join(dir, '.env'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // twilio-run's project check looks for a functions/ folder, which the repository has (the
  // TypeScript sources); what is deployed comes from dist/ (.twilioserverlessrc).
  mkdirSync(join(dir, 'functions'));
  return dir;
}

function runDeploy(projectDir: string, recordPath: string): { status: number | null; output: string } {
  const twilioRun = require.resolve('twilio-run/bin/twilio-run.js', { paths: [root] });
  const result = spawnSync(
    process.execPath,
    [
      '-r',
      join(root, 'build', 'fake-serverless-api.js'),
      twilioRun,
      'deploy',
      '--cwd',
      projectDir,
      '--username',
      FAKE_ACCOUNT_SID,
      '--password',
      FAKE_AUTH_TOKEN,
      '--force',
    ],
    {
      cwd: projectDir,
      encoding: 'utf8',
      timeout: 120000,
      env: { ...process.env, REHEARSAL_RECORD: recordPath, FORCE_COLOR: '0', CI: '1' },
    },
  );
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

const size = (upload: RecordedUpload) => Buffer.from(upload.content, 'base64').length;

/** What must hold of the recorded deploy; each broken rule is one line. */
function checkRecord(record: DeployRecord): string[] {
  const problems: string[] = [...record.unexpected.map((call) => `unexpected Serverless API call: ${call}`)];
  if (record.build?.runtime !== 'node22')
    problems.push(
      `runtime is ${record.build?.runtime ?? '(not set)'}, expected node22 (set it in .twilioserverlessrc)`,
    );
  const functions = readdirSync(join(root, 'dist', 'functions')).filter((file) => file.endsWith('.js'));
  const uploaded = new Set(record.uploads.filter((u) => u.kind === 'function').map((u) => u.path));
  for (const file of functions)
    if (!uploaded.has(`/${file.replace(/\.js$/, '')}`)) problems.push(`function ${file} was not uploaded`);
  const assets = new Set(record.uploads.filter((u) => u.kind === 'asset').map((u) => u.path));
  if (!assets.has('/index.html')) problems.push('the page (/index.html, served at / too) was not uploaded');
  if (existsSync(join(root, 'dist', 'assets', 'openapi.json')) && !assets.has('/openapi.json'))
    problems.push('/openapi.json was not uploaded');
  for (const upload of record.uploads) {
    if (upload.visibility !== 'public') problems.push(`${upload.path} is ${upload.visibility}, not public`);
    const local = join(
      root,
      'dist',
      upload.kind === 'function' ? 'functions' : 'assets',
      `${upload.path}${upload.kind === 'function' ? '.js' : ''}`,
    );
    if (!existsSync(local) || !readFileSync(local).equals(Buffer.from(upload.content, 'base64')))
      problems.push(`${upload.path}: the uploaded bytes are not dist/'s`);
  }

  const declared = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
  ).dependencies;
  const sent = Object.fromEntries((record.build?.dependencies ?? []).map((d) => [d.name, d.version]));
  if (JSON.stringify(sent) !== JSON.stringify(declared))
    problems.push(`dependencies sent ${JSON.stringify(sent)} differ from package.json's ${JSON.stringify(declared)}`);

  const known = new Set(SETTINGS.map((s) => s.name));
  for (const { key, value } of record.variables) {
    if (value.trim() === '') problems.push(`${key} would be sent blank, overwriting the value set in the Console`);
    if (NEVER_UPLOADED.includes(key))
      problems.push(`${key} would be uploaded: it must stay on this machine (or is the runtime's own)`);
    else if (!known.has(key))
      problems.push(`${key} would be uploaded but is not a setting of this project (.env.example)`);
    if (key === 'ADMIN_TOKEN' && value.trim() !== '' && value.trim().length < MIN_ADMIN_TOKEN_LENGTH)
      problems.push(
        `ADMIN_TOKEN is ${value.trim().length} characters: use ${MIN_ADMIN_TOKEN_LENGTH} or more random ones (e.g. openssl rand -hex 16), or leave it blank to keep admin routes closed`,
      );
  }
  if (!record.deployment?.buildSid) problems.push('the build was never activated');
  return problems;
}

/** The upload, rebuilt in an empty directory, with only its declared dependencies installed. */
function materialise(record: DeployRecord): { dir: string; problems: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-rehearsal-upload-'));
  for (const upload of record.uploads) {
    const target = join(
      dir,
      upload.kind === 'function' ? 'functions' : 'assets',
      `${upload.path}${upload.kind === 'function' ? '.js' : ''}`,
    );
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, Buffer.from(upload.content, 'base64'));
  }
  const dependencies = Object.fromEntries((record.build?.dependencies ?? []).map((d) => [d.name, d.version]));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'rehearsed-upload', private: true, dependencies }, null, 2),
  );
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = spawnSync(
    npm,
    ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--no-package-lock'],
    {
      cwd: dir,
      encoding: 'utf8',
      timeout: 300000,
    },
  );
  return {
    dir,
    problems: install.status === 0 ? [] : [`npm install of the declared dependencies failed:\n${install.stderr}`],
  };
}

interface DevServerModule {
  LocalDevelopmentServer: new (
    port: number,
    config: Record<string, unknown>,
  ) => { getApp(): { listen(port: number, host: string, done: () => void): Server } };
}

/** Serves the rebuilt upload with the runtime-handler installed there, and calls each route once. */
async function serve(
  dir: string,
  record: DeployRecord,
): Promise<{ served: RehearsalReport['served']; problems: string[] }> {
  const runtimePath = require.resolve('@twilio/runtime-handler/dev', { paths: [dir] });
  if (!runtimePath.startsWith(dir))
    return { served: [], problems: ['@twilio/runtime-handler did not come from the declared dependencies'] };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { LocalDevelopmentServer } = require(runtimePath) as DevServerModule;
  const resources = (kind: 'function' | 'asset') =>
    record.uploads
      .filter((u) => u.kind === kind)
      .map((u) => ({
        name: u.path.slice(1),
        path: u.path,
        access: u.visibility,
        filePath: join(
          dir,
          kind === 'function' ? 'functions' : 'assets',
          `${u.path}${kind === 'function' ? '.js' : ''}`,
        ),
      }));
  const env: Record<string, string> = { ACCOUNT_SID: FAKE_ACCOUNT_SID, AUTH_TOKEN: FAKE_AUTH_TOKEN };
  for (const { key, value } of record.variables) env[key] = value;
  const runtime = new LocalDevelopmentServer(0, {
    baseDir: dir,
    env,
    port: 0,
    url: 'http://127.0.0.1',
    detailedLogs: false,
    live: false,
    logs: false,
    legacyMode: false,
    appName: 'deploy-rehearsal',
    forkProcess: false,
    routes: { functions: resources('function'), assets: resources('asset') },
  });
  const server = await new Promise<Server>((resolve) => {
    const listening: Server = runtime.getApp().listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const served: RehearsalReport['served'] = [];
  const problems: string[] = [];
  try {
    for (const fn of resources('function')) {
      // A GET route (e.g. /jwks) answers 200 JSON. Every other function gets a body with a
      // parameter no route takes and answers its own validation error without calling Twilio
      // (an empty body is valid for some: /passkey-challenge then asks Verify).
      const isGet = getRoutes(join(root, 'dist'))[fn.path] !== undefined;
      const response = isGet
        ? await fetch(`${base}${fn.path}`)
        : await fetch(`${base}${fn.path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"rehearsal":true}',
          });
      const contentType = response.headers.get('content-type') ?? '';
      const body = (await response.json().catch(() => undefined)) as
        | { ok?: boolean; error?: { code?: string } }
        | undefined;
      served.push({ path: fn.path, status: response.status, contentType, code: body?.error?.code });
      const expected = isGet
        ? response.status === 200 && body !== undefined
        : response.status < 500 && body?.ok === false && Boolean(body.error?.code);
      if (!contentType.startsWith('application/json') || !expected) {
        problems.push(
          `${fn.path} answered ${response.status} ${contentType} instead of ${isGet ? '200 JSON' : 'a JSON validation error'}`,
        );
      }
    }
    const page = await fetch(`${base}/index.html`);
    served.push({ path: '/index.html', status: page.status, contentType: page.headers.get('content-type') ?? '' });
    if (page.status !== 200) problems.push(`/index.html answered ${page.status}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  return { served, problems };
}

export async function rehearse(envPath: string, keep = false): Promise<RehearsalReport> {
  const projectDir = stageProject(envPath);
  const recordPath = join(projectDir, 'rehearsal-record.json');
  const cleanup: string[] = [projectDir];
  const report: RehearsalReport = {
    ok: false,
    problems: [],
    functions: [],
    assets: [],
    dependencies: {},
    variables: [],
    served: [],
  };
  try {
    const deploy = runDeploy(projectDir, recordPath);
    if (!existsSync(recordPath)) {
      report.problems.push(`twilio-run deploy recorded nothing (exit ${deploy.status}):\n${deploy.output}`);
      return report;
    }
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as DeployRecord;
    if (deploy.status !== 0)
      report.problems.push(`twilio-run deploy exited with ${deploy.status}:\n${deploy.output.slice(-3000)}`);
    report.runtime = record.build?.runtime;
    const listed = (kind: 'function' | 'asset') =>
      record.uploads
        .filter((u) => u.kind === kind)
        .map((u) => ({ path: u.path, visibility: u.visibility, bytes: size(u) }))
        .sort((a, b) => a.path.localeCompare(b.path));
    report.functions = listed('function');
    report.assets = listed('asset');
    report.dependencies = Object.fromEntries((record.build?.dependencies ?? []).map((d) => [d.name, d.version]));
    report.variables = record.variables.map(({ key, value }) => `${key} (${value.length} characters)`);
    report.problems.push(...checkRecord(record));
    if (report.problems.length > 0) return report;

    const upload = materialise(record);
    cleanup.push(upload.dir);
    report.problems.push(...upload.problems);
    if (report.problems.length > 0) return report;
    const { served, problems } = await serve(upload.dir, record);
    report.served = served;
    report.problems.push(...problems);
    return report;
  } finally {
    report.ok = report.problems.length === 0;
    if (!keep) for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept: ${cleanup.join(' ')}`);
  }
}

function print(report: RehearsalReport): void {
  const lines = [
    `Deploy rehearsal (twilio-run deploy against a local fake of the Serverless API; nothing left this machine)`,
    `  runtime:       ${report.runtime ?? '(not set)'}`,
    `  functions:     ${report.functions.map((f) => `${f.path} (${f.visibility}, ${f.bytes} B)`).join(', ')}`,
    `  assets:        ${report.assets.map((a) => `${a.path} (${a.visibility}, ${a.bytes} B)`).join(', ')}   (/index.html is also served at /)`,
    `  dependencies:  ${Object.entries(report.dependencies)
      .map(([name, version]) => `${name}@${version}`)
      .join(', ')}`,
    `  variables:     ${report.variables.length ? report.variables.join(', ') : '(none)'}   (blank ones are not sent; ACCOUNT_SID/AUTH_TOKEN come from the runtime)`,
    `  served:        ${report.served.map((s) => `${s.path} ${s.status}${s.code ? ` ${s.code}` : ''}`).join(', ') || '(not reached)'}`,
    report.ok
      ? 'OK: this is what `npm run deploy` would upload, and it runs with only its declared dependencies.'
      : `FAILED:\n${report.problems.map((p) => `  - ${p}`).join('\n')}`,
    ...(report.placeholders
      ? ['(with placeholders for .env: `cp .env.example .env`, fill it in, and rehearse again before `npm run deploy`)']
      : []),
  ];
  console.log(lines.join('\n'));
}

if (require.main === module) {
  let env: RehearsalEnv;
  try {
    env = chooseRehearsalEnv({
      envArg: argument('--env'),
      forcePlaceholders: process.argv.includes('--placeholders'),
      defaultPath: join(root, '.env'),
    });
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
  if (env.note) console.log(env.note);
  rehearse(env.path, process.argv.includes('--keep'))
    .then((report) => {
      report.placeholders = env.placeholders;
      print(report);
      const jsonPath = argument('--json');
      if (jsonPath) writeFileSync(jsonPath, JSON.stringify(report, null, 2));
      if (env.placeholders) rmSync(dirname(env.path), { recursive: true, force: true });
      process.exit(report.ok ? 0 : 1);
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
