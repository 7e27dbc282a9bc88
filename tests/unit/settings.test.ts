// The settings table (src/settings.ts) against the code that reads the environment: every
// setting config.ts validates is in the table and nothing else, and the banner shows each.
import { CONFIG_KEYS } from '../../src/config';
import { SETTINGS } from '../../src/settings';

describe('the settings table', () => {
  it('names exactly what src/config.ts reads, but what the runtime provides itself (DOMAIN_NAME) and ACCOUNT_SID (the SDK reads it)', () => {
    const read = CONFIG_KEYS.filter((name) => name !== 'DOMAIN_NAME');
    expect([...read].sort()).toEqual(
      SETTINGS.map((setting) => setting.name)
        .filter((name) => name !== 'ACCOUNT_SID')
        .sort(),
    );
  });

  it('says what blank means for every optional setting the banner shows', () => {
    const unexplained = SETTINGS.filter((s) => !s.required && s.whenBlank === undefined).map((s) => s.name);
    expect(unexplained).toEqual(['VERIFY_EMULATOR_HOST', 'TOKEN_AUDIENCE']);
  });
});
