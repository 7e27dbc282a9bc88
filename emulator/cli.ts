import { startEmulatorServer, type RunningEmulatorServer } from './server';
import { parseTestNumbers } from './test-numbers';

/**
 * `npm run emulator`: serves the emulator on EMULATOR_HOST (loopback only, default 127.0.0.1)
 * and EMULATOR_PORT (default 3001), with fixed codes from EMULATOR_TEST_NUMBERS
 * ("+15005550006:123456,demo@example.com:654321") and the Sync Maps to seed from
 * EMULATOR_SYNC_MAPS ("locks,budgets"; default none). Stops cleanly on SIGINT/SIGTERM.
 * Written to be bundled (esbuild) into a plain node script.
 */
export async function main(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = (line) => console.log(line),
): Promise<RunningEmulatorServer> {
  const port = Number(env['EMULATOR_PORT'] ?? 3001);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`EMULATOR_PORT must be a port number, got "${env['EMULATOR_PORT']}"`);
  const testNumbers = parseTestNumbers(env['EMULATOR_TEST_NUMBERS']);
  const maps = (env['EMULATOR_SYNC_MAPS'] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const server = await startEmulatorServer({
    host: env['EMULATOR_HOST'] ?? '127.0.0.1',
    port,
    testNumbers,
    seedSync: { maps },
  }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new Error(
      `port ${port} (EMULATOR_PORT) is already in use: stop what is listening there, or choose another, e.g. EMULATOR_PORT=${port + 100} npm run emulator.`,
    );
  });
  const { emulator } = server;

  log(`Twilio Verify emulator listening on ${server.url}`);
  log(`  Inbox (read your codes here): ${server.url}/`);
  log(`  Verify API base URL:          ${server.url}/v2`);
  log(`  Account SID:                  ${emulator.accountSid}`);
  log(`  Auth token:                   ${emulator.authToken}`);
  log(`  Verify service SID:           ${emulator.serviceSid ?? '(none seeded)'}`);
  log(`  Sync API base URL:            ${server.url}/v1`);
  log(
    `  Sync service SID:             ${emulator.syncServiceSid ?? '(none seeded)'}${maps.length > 0 ? ` (Maps: ${maps.join(', ')})` : ''}`,
  );
  const fixed = Object.keys(testNumbers);
  if (fixed.length > 0) log(`  Test numbers with fixed codes: ${fixed.join(', ')}`);
  log('Press Ctrl-C to stop.');

  const stop = (signal: NodeJS.Signals) => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    log(`Received ${signal}, stopping the Verify emulator.`);
    void server.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    ...server,
    close: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      return server.close();
    },
  };
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`Verify emulator: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
