/** Every route's declaration, read from its function (as the build collects them for the contract). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RouteDeclaration } from '../../src/http/define-route';

const functionsDir = join(__dirname, '..', '..', 'functions');

/** The functions/*.ts file names, without `.ts`. */
export function functionNames(): string[] {
  return readdirSync(functionsDir)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.replace(/\.ts$/, ''))
    .sort();
}

export function declaredRoutes(): RouteDeclaration[] {
  return functionNames().map(
    (name) =>
      (require(join(functionsDir, `${name}.ts`)) as { handler: { declaration: RouteDeclaration } }).handler.declaration,
  );
}
