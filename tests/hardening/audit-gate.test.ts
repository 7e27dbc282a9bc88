// The production audit gate (tests/hardening/npm-audit.js) needs the registry's audit
// endpoint, so it runs as a script. Its verdict logic is tested here, offline: high and
// critical fail, anything less passes, and an unreachable endpoint is never a pass.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const {
  evaluateAudit,
}: {
  evaluateAudit(stdout: string): {
    verdict: 'pass' | 'fail' | 'unreachable';
    blocking: Array<{ name: string; severity: string }>;
    message: string;
  };
} = require('./npm-audit.js');

const report = (vulnerabilities: Record<string, { severity: string }>) => {
  const counts = { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 } as Record<string, number>;
  for (const v of Object.values(vulnerabilities)) {
    counts[v.severity] += 1;
    counts.total += 1;
  }
  const full = Object.fromEntries(
    Object.entries(vulnerabilities).map(([name, v]) => [
      name,
      {
        name,
        severity: v.severity,
        isDirect: false,
        range: '<1.2.3',
        via: [
          {
            source: 1,
            name,
            title: `${name} advisory`,
            url: 'https://github.com/advisories/GHSA-xxxx',
            severity: v.severity,
          },
        ],
        effects: [],
        nodes: [`node_modules/${name}`],
        fixAvailable: true,
      },
    ]),
  );
  return JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities: full,
    metadata: { vulnerabilities: counts, dependencies: { prod: 40, dev: 0, total: 40 } },
  });
};

describe('npm audit gate', () => {
  it('passes a clean report and one with only low/moderate advisories', () => {
    expect(evaluateAudit(report({})).verdict).toBe('pass');
    expect(
      evaluateAudit(report({ a: { severity: 'low' }, b: { severity: 'moderate' }, c: { severity: 'info' } })).verdict,
    ).toBe('pass');
  });

  it.each(['high', 'critical'])('fails on a %s advisory and names the package', (severity) => {
    const result = evaluateAudit(report({ ok: { severity: 'moderate' }, bad: { severity } }));
    expect(result.verdict).toBe('fail');
    expect(result.blocking).toEqual([expect.objectContaining({ name: 'bad', severity })]);
  });

  it('an unreachable or refusing endpoint is "unreachable", never a pass', () => {
    // What this sandbox's registry answers: 405 on the bulk advisory POST.
    const refused = JSON.stringify({
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      method: 'POST',
      statusCode: 405,
      error: { summary: '', detail: '' },
    });
    const offline = JSON.stringify({
      error: {
        code: 'ENOTFOUND',
        summary: 'request to https://registry.npmjs.org/-/npm/v1/security/advisories/bulk failed',
        detail: '',
      },
    });
    for (const stdout of [refused, offline, '', 'npm ERR! something', '{}'])
      expect(evaluateAudit(stdout).verdict).toBe('unreachable');
  });
});
