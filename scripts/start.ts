// `npm start`: the functions under twilio-run, talking to the offline Verify emulator.
// No Twilio account, no network. Honours PORT, EMULATOR_PORT, ADMIN_TOKEN, EMULATOR_TEST_NUMBERS,
// TOKEN_SIGNING_KEY, TOKEN_AUDIENCE, TOKEN_TTL.
import { join } from 'node:path';
import { parseTestNumbers } from '../emulator';
import { generateSigningKey } from './keygen.cjs';
import { startLocalStack } from './local-stack';

/** The audience of local proof tokens unless TOKEN_AUDIENCE says otherwise. */
const LOCAL_AUDIENCE = 'local-backend';

async function main(): Promise<void> {
  const stack = await startLocalStack({
    projectRoot: join(__dirname, '..'),
    port: Number(process.env.PORT || 3000),
    emulatorPort: Number(process.env.EMULATOR_PORT || 3001),
    adminToken: process.env.ADMIN_TOKEN,
    testNumbers: parseTestNumbers(process.env.EMULATOR_TEST_NUMBERS),
    output: 'inherit',
    // A signing key that lives as long as this session (never printed: /jwks has the public half).
    env: {
      TOKEN_SIGNING_KEY: process.env.TOKEN_SIGNING_KEY || generateSigningKey(),
      TOKEN_AUDIENCE: process.env.TOKEN_AUDIENCE || LOCAL_AUDIENCE,
      ...(process.env.TOKEN_TTL ? { TOKEN_TTL: process.env.TOKEN_TTL } : {}),
    },
  });
  console.log(
    [
      '',
      'verify-functions is running against the offline Verify emulator (no Twilio account needed).',
      `  Verification page:  ${stack.baseUrl}/index.html`,
      `  Emulator inbox:     ${stack.emulatorUrl}/   (the codes "sent" appear here)`,
      `  Admin token:        ${stack.adminToken}   (for POST /create-service)`,
      `  Proof tokens:       signed with a key made for this session; keys at ${stack.baseUrl}/jwks, aud "${process.env.TOKEN_AUDIENCE || LOCAL_AUDIENCE}"`,
      '',
      'Press Ctrl-C to stop.',
    ].join('\n'),
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
