#!/usr/bin/env node
/**
 * Production dependency audit: `npm audit --omit=dev --json`, failing on any high or
 * critical advisory. Needs the npm registry's audit endpoint, so it is a script (run it in
 * CI with network access), not part of the offline jest run:
 *
 *   node tests/hardening/npm-audit.js
 *
 * Exit 0: no high/critical advisory. Exit 1: high/critical advisories (listed).
 * Exit 2: the audit could not run (endpoint unreachable or refused): never a silent pass.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const BLOCKING = ['high', 'critical'];

/**
 * Reads `npm audit --json` output. Returns { verdict: 'pass' | 'fail' | 'unreachable',
 * counts, blocking: [{ name, severity, range, via }], message }.
 */
function evaluateAudit(stdout) {
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    return {
      verdict: 'unreachable',
      counts: {},
      blocking: [],
      message: `npm audit printed no JSON report: ${String(stdout).slice(0, 200)}`,
    };
  }
  const counts = report?.metadata?.vulnerabilities;
  if (!counts || typeof counts !== 'object') {
    const reason =
      (report && (report.message || (report.error && (report.error.summary || report.error.code)))) ||
      'no metadata.vulnerabilities in the report';
    return {
      verdict: 'unreachable',
      counts: {},
      blocking: [],
      message: `the npm audit endpoint did not answer with a report: ${reason}`,
    };
  }
  const blocking = Object.entries(report.vulnerabilities || {})
    .filter(([, v]) => BLOCKING.includes(v.severity))
    .map(([name, v]) => ({
      name,
      severity: v.severity,
      range: v.range,
      via: (v.via || []).map((via) =>
        typeof via === 'string' ? via : `${via.title || via.name} (${via.url || via.source})`,
      ),
    }));
  const total = BLOCKING.reduce((sum, level) => sum + (Number(counts[level]) || 0), 0);
  if (total > 0 || blocking.length > 0) {
    return {
      verdict: 'fail',
      counts,
      blocking,
      message: `${total} high/critical advisories in production dependencies`,
    };
  }
  return { verdict: 'pass', counts, blocking, message: 'no high or critical advisories in production dependencies' };
}

function main() {
  const root = join(__dirname, '..', '..');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  if (run.error) {
    console.error(`npm audit could not run: ${run.error.message}`);
    process.exit(2);
  }
  const result = evaluateAudit(run.stdout);
  if (result.verdict === 'unreachable') {
    console.error(`npm audit FAILED TO RUN (not a pass): ${result.message}`);
    if (run.stderr) console.error(run.stderr.trim().split('\n').slice(-3).join('\n'));
    process.exit(2);
  }
  console.log(`npm audit --omit=dev: ${JSON.stringify(result.counts)}`);
  if (result.verdict === 'fail') {
    console.error(result.message);
    for (const b of result.blocking)
      console.error(`  ${b.severity.padEnd(8)} ${b.name} ${b.range || ''}  ${b.via.join('; ')}`);
    process.exit(1);
  }
  console.log(result.message);
}

module.exports = { evaluateAudit };
if (require.main === module) main();
