// `npm start`: the functions under twilio-run (behind the local front), talking to the offline
// Verify emulator. No Twilio account, no network. PORT and EMULATOR_PORT choose the ports,
// EMULATOR_TEST_NUMBERS fixes codes; every setting of the configuration table is taken from
// the shell or a git-ignored .env.local (see scripts/local-settings.ts).
import { join } from 'node:path';
import { parseTestNumbers } from '../emulator';
import { generateSigningKey } from './keygen.cjs';
import { resolveLocalSettings } from './local-settings';
import { startLocalStack } from './local-stack';
import { startBanner } from './start-banner';

/** The audience of local proof tokens unless TOKEN_AUDIENCE says otherwise. */
const LOCAL_AUDIENCE = 'local-backend';

async function main(): Promise<void> {
  const projectRoot = join(__dirname, '..');
  const settings = resolveLocalSettings({
    projectRoot,
    shell: process.env,
    envLocalPath: join(process.cwd(), '.env.local'),
    fallbacks: {
      ADMIN_TOKEN: { value: '', label: 'generated for this session, above' },
      TOKEN_SIGNING_KEY: { value: '', label: 'generated for this session' },
      TOKEN_AUDIENCE: { value: LOCAL_AUDIENCE, label: 'npm start default' },
    },
  });
  const { ADMIN_TOKEN: adminToken, ...env } = settings.env;
  const audience = env.TOKEN_AUDIENCE || LOCAL_AUDIENCE;
  const testNumbers = parseTestNumbers(process.env.EMULATOR_TEST_NUMBERS);
  const stack = await startLocalStack({
    projectRoot,
    port: Number(process.env.PORT || 3000),
    emulatorPort: Number(process.env.EMULATOR_PORT || 3001),
    adminToken,
    testNumbers,
    // Without a configured key, one that lives as long as this session (never printed: /jwks has the public half).
    env: { ...env, TOKEN_SIGNING_KEY: env.TOKEN_SIGNING_KEY || generateSigningKey(), TOKEN_AUDIENCE: audience },
    output: 'inherit',
  });
  const suppliedFrom = adminToken ? (process.env.ADMIN_TOKEN?.trim() ? 'shell' : '.env.local') : undefined;
  console.log(
    startBanner({
      baseUrl: stack.baseUrl,
      emulatorUrl: stack.emulatorUrl,
      audience,
      admin: suppliedFrom ? { generated: false, source: suppliedFrom } : { generated: true, token: stack.adminToken },
      emulator: {
        accountSid: stack.emulator.accountSid,
        authToken: stack.emulator.authToken,
        serviceSid: stack.emulator.serviceSid,
      },
      settings: [
        ...settings.summary,
        `${'EMULATOR_TEST_NUMBERS'.padEnd(22)} ${Object.keys(testNumbers).join(',') || 'none'}${process.env.EMULATOR_TEST_NUMBERS?.trim() ? '   [shell]' : '   (default)'}`,
      ],
    }),
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    stack.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
