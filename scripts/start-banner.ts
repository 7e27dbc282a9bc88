// What `npm start` prints once everything listens: the URLs, the admin token (only one it
// generated: a token you supplied stays yours and is never echoed), the emulator's credentials
// for Twilio's own SDKs, and the settings in force.

export interface BannerInput {
  baseUrl: string;
  emulatorUrl: string;
  /** The proof tokens' `aud`. */
  audience: string;
  admin: { token: string; generated: true } | { generated: false; source: string };
  emulator: { accountSid: string; authToken: string; serviceSid: string | undefined };
  /** One line per setting, as scripts/local-settings.ts words them. */
  settings: readonly string[];
}

export function startBanner(input: BannerInput): string {
  const admin = input.admin.generated
    ? [`    export ADMIN_TOKEN=${input.admin.token}   (generated for this session)`]
    : [`    the ADMIN_TOKEN you set [${input.admin.source}] (not printed: use it as it is)`];
  return [
    '',
    'verify-functions is running against the offline Verify emulator (no Twilio account needed).',
    `  Verification page:  ${input.baseUrl}/`,
    `  Emulator inbox:     ${input.emulatorUrl}/   (the codes "sent" appear here)`,
    `  Admin token (Authorization: Bearer … for POST /create-service, POST /verification-report, ${input.baseUrl}/admin.html):`,
    ...admin,
    `  Proof tokens:       keys at ${input.baseUrl}/jwks; for the backend example (docs/backend):`,
    `    ISSUER=${input.baseUrl} AUDIENCE=${input.audience}   (iss is the origin you call: use 127.0.0.1, not localhost)`,
    '',
    "The emulator, for Twilio's own SDKs and quickstarts (docs/emulator.md):",
    `  export TWILIO_ACCOUNT_SID=${input.emulator.accountSid} TWILIO_AUTH_TOKEN=${input.emulator.authToken}`,
    `  export VERIFY_EMULATOR_URL=${input.emulatorUrl} VERIFY_SERVICE_SID=${input.emulator.serviceSid ?? '(none seeded)'}`,
    '  then: node docs/quickstart/quickstart.js   or   python3 docs/quickstart/quickstart.py (a python3 with the twilio module)',
    '',
    'Settings (shell, then .env.local, else the default):',
    ...input.settings.map((line) => `  ${line}`),
    '',
    'Press Ctrl-C to stop.',
  ].join('\n');
}
