// Each route is declared once, in its function's defineRoute: summary, auth (with its OpenAPI
// scheme), input, answers and errors. Nothing else may restate it (a registry keyed by route
// names, a prose header listing its errors or parameters, its summary copied elsewhere), and the
// README's map says what adding a route touches.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { declaredRoutes, functionNames } from '../support/routes';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const sources = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : /\.(ts|mjs|cjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')
        ? [join(dir, entry.name)]
        : [],
  );
/** The code a route's contract could be restated in (client/schema.d.ts is generated from the document). */
const CODE = [
  ...sources('src'),
  ...sources('functions'),
  ...sources('scripts'),
  ...sources('client').filter((file) => !file.startsWith('client/dist')),
];

describe('one declaration per route', () => {
  const routes = declaredRoutes();

  it.each(functionNames())(
    '%s: its name is written in its own function file only, in src/, functions/, scripts/ and client/ code',
    (name) => {
      const quoted = new RegExp(`['"]${name}['"]`);
      expect(CODE.filter((file) => quoted.test(read(file)))).toEqual([`functions/${name}.ts`]);
    },
  );

  it.each(routes.map((route) => [route.name, route.summary] as const))(
    '%s: its summary is written once',
    (name, summary) => {
      expect(CODE.filter((file) => read(file).includes(summary))).toEqual([`functions/${name}.ts`]);
    },
  );

  it('no function header restates the declaration in prose (parameters, answers, errors)', () => {
    const restating = functionNames().filter((name) =>
      /^\s*\*\s*(Errors|Params|Auth|200|201):/m.test(read(`functions/${name}.ts`)),
    );
    expect(restating).toEqual([]);
  });

  it('no code outside the contract builder declares an operationId', () => {
    expect(
      CODE.filter((file) => /operationId:/.test(read(file))).map((file) => relative(root, join(root, file))),
    ).toEqual(['src/contract/openapi.ts']);
  });

  it("the README's map of the code says what adding a route touches", () => {
    const map = read('README.md')
      .split(/^## /m)
      .find((section) => section.startsWith('Map of the code'));
    expect(map).toBeDefined();
    expect(map).toMatch(/functions\//);
    expect(map).toMatch(/defineRoute/);
    expect(map).toMatch(/tests/);
  });
});
