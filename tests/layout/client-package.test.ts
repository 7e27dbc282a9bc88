// The typed client is a package an app can add: `npm pack` it, install the tarball into an empty
// project (no network: it has no dependencies), then import it (ESM and CommonJS) and type-check
// an app's code against its declarations, as an app would.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let dir: string;
let app: string;
let tarball: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'client-package-'));
  const packed = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: join(root, 'client'), encoding: 'utf8' }),
  ) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(dir, packed[0].filename);
  app = join(dir, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'an-app', private: true, type: 'module' }));
  execFileSync(npm, ['install', '--no-audit', '--no-fund', '--offline', '--ignore-scripts', tarball], {
    cwd: app,
    encoding: 'utf8',
  });
}, 120000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fetch that answers like /start-verify, so no server is needed. */
const FAKE_FETCH = `async (request) => new Response(JSON.stringify({ ok: true, verification: 'AXk3', to: '+1******2671', channel: 'sms', status: 'pending', sendCodeAttempts: 1, retryAfter: 30, expiresIn: 600, path: new URL(request.url).pathname }), { headers: { 'content-type': 'application/json' } })`;

describe('the client package (client/package.json)', () => {
  it('has a name, exports with types, the built files and no runtime dependency', () => {
    const manifest = JSON.parse(
      readFileSync(join(app, 'node_modules', 'verify-functions-client', 'package.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      name: 'verify-functions-client',
      exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js', require: './dist/index.cjs' } },
    });
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.version).toBe(
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version,
    );
    const listed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(listed).toEqual([
      'package/README.md',
      'package/dist/index.cjs',
      'package/dist/index.d.ts',
      'package/dist/index.js',
      'package/dist/schema.d.ts',
      'package/package.json',
    ]);
  });

  it('imports as an ES module and as CommonJS, and calls through the fetch it is given', () => {
    writeFileSync(
      join(app, 'esm.mjs'),
      `import { createVerifyClient } from 'verify-functions-client';\nconst verify = createVerifyClient({ baseUrl: 'https://verify.example', fetch: ${FAKE_FETCH} });\nconst sent = await verify.startVerify({ to: '+14155552671' });\nconsole.log(sent.ok, sent.path);\n`,
    );
    writeFileSync(
      join(app, 'cjs.cjs'),
      `const { createVerifyClient } = require('verify-functions-client');\nconsole.log(typeof createVerifyClient);\n`,
    );
    expect(execFileSync(process.execPath, ['esm.mjs'], { cwd: app, encoding: 'utf8' }).trim()).toBe(
      'true /start-verify',
    );
    expect(execFileSync(process.execPath, ['cjs.cjs'], { cwd: app, encoding: 'utf8' }).trim()).toBe('function');
  });

  it('type-checks an app’s code against its declarations (strict, Node16 resolution), and refuses a wrong call', () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const check = (file: string) => {
      const options = {
        noEmit: true,
        strict: true,
        module: 'node16',
        moduleResolution: 'node16',
        target: 'es2022',
        lib: ['es2022', 'dom'],
        types: [],
      };
      writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: [file] }));
      execFileSync(process.execPath, [tsc, '-p', '.'], { cwd: app, encoding: 'utf8' });
    };
    writeFileSync(
      join(app, 'app.ts'),
      [
        "import { createVerifyClient, type ClientErrorCode, type ErrorCode, type Sent } from 'verify-functions-client';",
        "const verify = createVerifyClient({ baseUrl: 'https://verify.example' });",
        'export async function send(to: string): Promise<Sent | ErrorCode | ClientErrorCode> {',
        "  const sent = await verify.startVerify({ to, channel: 'sms' });",
        '  return sent.ok ? sent : sent.error.code;',
        '}',
      ].join('\n'),
    );
    check('app.ts');
    writeFileSync(
      join(app, 'wrong.ts'),
      "import { createVerifyClient } from 'verify-functions-client';\ncreateVerifyClient().startVerify({ to: '+1', channel: 'pigeon' });\n",
    );
    let output = '';
    try {
      check('wrong.ts');
    } catch (error) {
      output = String((error as { stdout?: string }).stdout);
    }
    expect(output).toMatch(/wrong\.ts.*error TS2322.*pigeon/s);
  });

  it('type-checks the React Native example of docs/mobile.md as written', () => {
    const doc = readFileSync(join(root, 'docs', 'mobile.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## JavaScript apps'));
    const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toContain("from 'verify-functions-client'");
    writeFileSync(join(app, 'screen.ts'), String(example));
    // AsyncStorage's shape, standing in for the React Native package.
    writeFileSync(
      join(app, 'async-storage.d.ts'),
      "declare module '@react-native-async-storage/async-storage' {\n  const AsyncStorage: { getItem(key: string): Promise<string | null>; setItem(key: string, value: string): Promise<void>; removeItem(key: string): Promise<void> };\n  export default AsyncStorage;\n}\n",
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const options = {
      noEmit: true,
      strict: true,
      module: 'node16',
      moduleResolution: 'node16',
      target: 'es2022',
      lib: ['es2022', 'dom'],
      types: [],
    };
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: options, files: ['async-storage.d.ts', 'screen.ts'] }),
    );
    execFileSync(process.execPath, [tsc, '-p', '.'], { cwd: app, encoding: 'utf8' });
  });
});
