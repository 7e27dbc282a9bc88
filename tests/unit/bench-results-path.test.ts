// `npm run bench` must not rewrite the tracked bench/results.json unless asked (--record).
import { resultsPath } from '../../bench/results-path';

describe('where a benchmark run writes its figures', () => {
  it('a plain full run writes to the git-ignored bench/tmp/, never the tracked file', () => {
    expect(resultsPath('/repo', { complete: true, record: false })).toBe('/repo/bench/tmp/results.json');
  });

  it('only a full run with --record replaces bench/results.json', () => {
    expect(resultsPath('/repo', { complete: true, record: true })).toBe('/repo/bench/results.json');
    expect(resultsPath('/repo', { complete: false, record: true })).toBe('/repo/bench/tmp/results.partial.json');
    expect(resultsPath('/repo', { complete: false, record: false })).toBe('/repo/bench/tmp/results.partial.json');
  });
});
