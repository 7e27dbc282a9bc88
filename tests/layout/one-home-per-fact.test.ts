// Facts about Twilio live once, in twilio-facts/: the channel list and the locale list. The
// functions, the emulator and the page import them; a copy anywhere else fails here. The
// emulator shares those facts and nothing else: it never imports the functions' code.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ATTEMPT_CHANNELS, VERIFY_CHANNELS } from '../../twilio-facts/verify-channels';
import { VERIFY_LOCALES } from '../../twilio-facts/verify-locales';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const files = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'dist' || entry.name === 'node_modules' ? [] : files(path);
    return /\.(ts|js|mjs|cjs|html)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
/** Everything that runs: the functions and src/, the emulator, the page, the client, the scripts. */
const CODE = ['src', 'functions', 'emulator', 'assets', 'client', 'scripts', 'bench'].flatMap(files);

const names = (list: readonly string[]) => list.map((name) => name.replace(/[-]/g, '\\-')).join('|');

describe('one home per fact', () => {
  it('the channel list is written in twilio-facts/ only (no list or union of four or more channel names elsewhere; a fallback order of three is policy)', () => {
    const channel = `['"](?:${names([...VERIFY_CHANNELS, ...ATTEMPT_CHANNELS])})['"]`;
    const list = new RegExp(`${channel}(?:\\s*[,|]\\s*${channel}){3}`);
    expect(CODE.filter((file) => list.test(read(file)))).toEqual([]);
  });

  it('the locale list is written in twilio-facts/ only (no file names ten of its tags or more)', () => {
    const tag = new RegExp(`['"](?:${names(VERIFY_LOCALES)})['"]`, 'g');
    const copies = CODE.filter((file) => new Set(read(file).match(tag) ?? []).size >= 10);
    expect(copies).toEqual([]);
  });

  it('the emulator imports twilio-facts/ and packages, never the functions or src/', () => {
    const foreign = files('emulator').filter((file) => /from\s+['"](?:\.\.\/)+(?:src|functions)\//.test(read(file)));
    expect(foreign).toEqual([]);
  });
});
