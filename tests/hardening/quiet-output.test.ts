// `npm test` shows what failed, not pages of JSON: the fuzz and load summaries go to their
// files always and to the console only with FUZZ_VERBOSE=1.
import { reportSummary } from './fuzz-runner';

test('summaries are printed only in verbose mode', () => {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    reportSummary('fuzz start-verify: 10 inputs', { runs: 10 }, {});
    reportSummary('fuzz start-verify: 10 inputs', { runs: 10 }, { FUZZ_VERBOSE: '0' });
    expect(log).not.toHaveBeenCalled();
    reportSummary('fuzz start-verify: 10 inputs', { runs: 10 }, { FUZZ_VERBOSE: '1' });
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]?.[0]).toContain('"runs": 10');
  } finally {
    log.mockRestore();
  }
});
