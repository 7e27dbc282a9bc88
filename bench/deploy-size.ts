/** 6. Deploy size: bytes of each built function and of dist/ in total (what a deploy uploads). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Figure } from './stats';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const gzipped = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

function sizeFigure(name: string, bytes: number, note: string): Figure {
  return {
    group: 'deploy',
    name,
    median: bytes,
    p95: bytes,
    samples: 1,
    unit: 'B',
    target: 'report',
    pass: null,
    note,
  };
}

export function deploySize(distDir: string): Figure[] {
  const functionsDir = join(distDir, 'functions');
  const figures = readdirSync(functionsDir)
    .filter((f) => f.endsWith('.js'))
    .sort()
    .map((f) => {
      const file = join(functionsDir, f);
      return sizeFigure(
        `dist/functions/${f}`,
        statSync(file).size,
        `gzip -9 ${gzipped(file).toLocaleString('en-US')} B`,
      );
    });
  const all = filesUnder(distDir);
  const sum = (files: string[]) => files.reduce((total, file) => total + statSync(file).size, 0);
  const assets = all.filter((f) => relative(distDir, f).startsWith('assets'));
  const functions = all.filter((f) => relative(distDir, f).startsWith('functions'));
  figures.push(
    sizeFigure('dist/functions total', sum(functions), `${functions.length} files`),
    sizeFigure('dist/assets total', sum(assets), `${assets.length} files`),
    sizeFigure(
      'dist total',
      sum(all),
      `${all.length} files; gzip -9 ${all.reduce((t, f) => t + gzipped(f), 0).toLocaleString('en-US')} B`,
    ),
  );
  return figures;
}
