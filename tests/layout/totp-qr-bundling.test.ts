// The QR library is paid for only by the enrolment: bundling each TOTP flow as its function
// will be bundled shows `qrcode` inside totp-enroll's and nowhere else.
import { build } from 'esbuild';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

async function inputsOf(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    platform: 'node',
    target: 'node22',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

const usesQr = (inputs: string[]) => inputs.some((input) => input.includes('node_modules/qrcode/'));

test('totp-enroll bundles qrcode', async () => {
  expect(usesQr(await inputsOf('src/flows/totp-enroll.ts'))).toBe(true);
});

test.each(['src/flows/totp-confirm.ts', 'src/flows/totp-check.ts', 'src/flows/entity-factors.ts'])(
  '%s does not',
  async (entry) => {
    const inputs = await inputsOf(entry);
    expect(inputs.some((input) => input.includes('src/verify/'))).toBe(true);
    expect(usesQr(inputs)).toBe(false);
  },
);
