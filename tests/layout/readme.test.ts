// The README and docs/ against what they describe: the two commands first, every `npm run X`
// a script of package.json, the configuration table and .env.example in step, every relative
// link (and its #anchor) alive, one wording per rate limit, and the README's curl flow run as
// written against the local stack.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { generateSigningKey } from '../../scripts/keygen.cjs';
import { renderEnvExample, SETTINGS } from '../../src/settings';
import { describeRateLimit, RATE_LIMITS } from '../../src/domain/rate-limits';
import { startStack, type Stack } from '../support/stack';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const markdown = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? markdown(join(dir, entry.name)) : entry.name.endsWith('.md') ? [join(dir, entry.name)] : [],
  );
/** The pages a newcomer reads: the README, docs/, and the READMEs they link to. */
const PAGES = [
  'README.md',
  ...markdown('docs'),
  'client/README.md',
  'bench/README.md',
  'tests/README.md',
  'SECURITY.md',
];

describe('README.md', () => {
  const readme = read('README.md');

  it('starts with what it is and the two commands, within its first 60 lines', () => {
    const top = readme.split('\n').slice(0, 60).join('\n');
    expect(top).toMatch(/^npm install && npm start\b/m);
    expect(top).toMatch(/^npm test\b/m);
    expect(top).toMatch(/^V=\$\(curl /m);
  });

  it('fits on two screenfuls', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(100);
  });
});

describe('the commands the docs show', () => {
  const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);

  it.each(PAGES)('%s: every `npm run X` is a script of package.json', (page) => {
    const named = [...read(page).matchAll(/npm run ([\w-]+(?::[\w-]+)*)/g)].map((match) => match[1]);
    expect(named.filter((name) => !scripts.includes(name as string))).toEqual([]);
  });
});

describe('docs/configuration.md', () => {
  it('lists exactly the settings of src/settings.ts, each required as the table says', () => {
    const doc = read('docs/configuration.md');
    const table = doc.slice(doc.indexOf('| Variable | Required | Meaning |'));
    const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
    const documented = rows.map((row) => /^\| `([A-Z_][A-Z0-9_]*)` \| ([^|]+) \|/.exec(row)?.slice(1));
    expect(documented).not.toContain(undefined);
    // "yes" or "yes (real Twilio)" for a required one; "no" or a condition ("with a key") otherwise.
    const rowsRequired = Object.fromEntries(
      (documented as string[][]).map(([name, cell]) => [name, cell.startsWith('yes')]),
    );
    expect(rowsRequired).toEqual(Object.fromEntries(SETTINGS.map((setting) => [setting.name, setting.required])));
  });
});

describe('.env.example', () => {
  it('is what src/settings.ts renders (the build writes it)', () => {
    expect(read('.env.example')).toBe(renderEnvExample());
  });
});

describe('docs/http-api.md words each rate limit as the error does', () => {
  it.each(RATE_LIMITS.map((limit) => limit.uniqueName))('%s', (name) => {
    expect(read('docs/http-api.md')).toContain(`- ${describeRateLimit(name)}\n`);
  });
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function anchors(text: string): Set<string> {
  const found = new Set<string>();
  for (const [, heading] of text.matchAll(/^#{1,6} (.+)$/gm)) {
    found.add(
      (heading as string)
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    );
  }
  return found;
}

describe('links', () => {
  it.each(PAGES)('%s: every relative link leads to a file (and heading) that exists', (page) => {
    const broken: string[] = [];
    const text = read(page).replace(/```[\s\S]*?```/g, '');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^(https?:|mailto:)/.test(target as string)) continue;
      const [path, anchor] = (target as string).split('#');
      const file = path ? join(root, dirname(page), path) : join(root, page);
      if (!existsSync(file)) broken.push(`${target} (no ${relative(root, file)})`);
      else if (anchor && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(anchor))
        broken.push(`${target} (no such heading)`);
    }
    expect(broken).toEqual([]);
  });
});

describe('the README’s curl flow, run as written', () => {
  let stack: Stack;
  beforeAll(async () => {
    // As npm start runs it: a signing key for the session, so an approved check carries a token.
    stack = await startStack({ env: { TOKEN_SIGNING_KEY: generateSigningKey(), TOKEN_AUDIENCE: 'local-backend' } });
  }, 60000);
  afterAll(() => stack?.close());

  const tools = ['curl', 'jq'].filter(
    (tool) => !['/usr/bin', '/bin', '/usr/local/bin'].some((dir) => existsSync(join(dir, tool))),
  );
  (tools.length === 0 ? it : it.skip)(
    `send, wrong code, right code, once only${tools.length ? ` — SKIPPED: ${tools.join(', ')} not installed` : ''}`,
    async () => {
      const block = /## Try it with curl[\s\S]*?```sh\n([\s\S]*?)```/.exec(read('README.md'))?.[1] ?? '';
      expect(block.trim().split('\n')).toHaveLength(5);
      const script = block
        .replaceAll('127.0.0.1:3000', stack.baseUrl.replace('http://', ''))
        .replaceAll('127.0.0.1:3001', stack.emulatorUrl.replace('http://', ''));
      const output = await new Promise<string>((resolve, reject) => {
        const bash = spawn('bash', ['-euo', 'pipefail', '-c', script]);
        let out = '';
        bash.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        bash.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
        bash.once('error', reject);
        bash.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}:\n${out}`))));
      });
      // Three answers, printed back to back (curl adds no newline).
      const answers = output
        .trim()
        .replace(/}\s*{"ok"/g, '}\n{"ok"')
        .split('\n')
        .map((line) => JSON.parse(line) as { ok: boolean; status?: string; token?: string; error?: { code: string } });
      expect(answers).toHaveLength(3);
      expect(answers[0]).toMatchObject({ ok: false, status: 'pending', error: { code: 'incorrect_code' } });
      expect(answers[1]).toMatchObject({ ok: true, status: 'approved', token: expect.stringMatching(/^eyJ/) });
      expect(answers[2]).toMatchObject({ ok: false, error: { code: 'verification_not_found' } });
    },
  );
});
