// `npm run start:twilio`: the functions under twilio-run against REAL Twilio Verify, using .env.
// Says exactly which values are missing before starting anything. `.env` is git-ignored: it is
// made with `cp .env.example .env`.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

const root = join(__dirname, '..');

const checks: Array<[string, RegExp, string]> = [
  ['ACCOUNT_SID', /^AC[0-9a-fA-F]{32}$/, 'your Account SID (AC…, 34 characters) from the Twilio Console'],
  ['AUTH_TOKEN', /^[0-9a-zA-Z]{32}$/, 'your Auth Token (32 characters) from the Twilio Console'],
  [
    'VERIFY_SERVICE_SID',
    /^VA[0-9a-fA-F]{32}$/,
    'a Verify Service SID (VA…); create one with POST /create-service (set ADMIN_TOKEN first) or in the Console',
  ],
];

function main(): void {
  const envFlag = process.argv.indexOf('--env');
  const envPath = envFlag === -1 ? join(root, '.env') : process.argv[envFlag + 1];
  if (!existsSync(envPath)) {
    console.error(
      `No ${envPath} yet. Run \`cp .env.example .env\`, fill in ACCOUNT_SID, AUTH_TOKEN (and ADMIN_TOKEN to create a Verify Service), then run this again.`,
    );
    process.exit(1);
  }
  // `npm run deploy` runs this first: twilio-run deploy would otherwise go on without .env and upload no settings.
  if (process.argv.includes('--env-exists')) return;
  const env = parseEnv(readFileSync(envPath, 'utf8'));
  const problems = checks.filter(([name, pattern]) => !pattern.test(env[name] ?? ''));
  if (env.VERIFY_EMULATOR_HOST)
    problems.push([
      'VERIFY_EMULATOR_HOST',
      /^$/,
      'blank: this script talks to real Twilio (use `npm start` for the emulator)',
    ]);
  const missingServiceOnly =
    problems.length === 1 && problems[0][0] === 'VERIFY_SERVICE_SID' && Boolean(env.ADMIN_TOKEN);
  if (problems.length > 0) {
    console.error(`Not ready for real verifications yet. Fill these in ${envPath}:`);
    for (const [name, , hint] of problems) console.error(`  ${name}: ${hint}`);
    if (!missingServiceOnly) process.exit(1);
    console.error(
      'Starting anyway so you can call /create-service; verifications fail until VERIFY_SERVICE_SID is set.',
    );
  }
  const twilioRun = require.resolve('twilio-run/bin/twilio-run.js', { paths: [root] });
  const child = spawn(
    process.execPath,
    [
      '-r',
      join(root, 'scripts', 'bind-loopback.cjs'),
      twilioRun,
      'start',
      '--env',
      envPath,
      '--port',
      process.env.PORT || '3000',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}

main();
