// The typed client as a package an app can add (`npm install ./client`, or `npm pack` it):
// client/dist/ gets index.js (ES module), index.cjs (require), index.d.ts and schema.d.ts. No
// runtime dependency: the calls are fetch. Run by `npm run build` after client/schema.d.ts.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;
const client = join(root, 'client');
const out = join(client, 'dist');

export async function buildClient() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const common = {
    entryPoints: [join(client, 'index.ts')],
    bundle: true,
    platform: 'neutral',
    target: 'es2020',
    logLevel: 'warning',
    legalComments: 'none',
  };
  await build({ ...common, format: 'esm', outfile: join(out, 'index.js') });
  await build({ ...common, format: 'cjs', outfile: join(out, 'index.cjs') });
  // Declarations from the source, with its own compiler settings (strict, the DOM's fetch types).
  const program = ts.createProgram([join(client, 'index.ts')], {
    declaration: true,
    emitDeclarationOnly: true,
    strict: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    outDir: out,
    rootDir: client,
  });
  const emitted = program.emit();
  const problems = ts.getPreEmitDiagnostics(program).concat(emitted.diagnostics);
  if (problems.length > 0)
    throw new Error(
      ts.formatDiagnostics(problems, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => root,
        getNewLine: () => '\n',
      }),
    );
  copyFileSync(join(client, 'schema.d.ts'), join(out, 'schema.d.ts'));
}
