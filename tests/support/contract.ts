/**
 * Every answer the tests receive, checked against the OpenAPI document (/openapi.json, built
 * from every route's declaration by the same code as the build): its status must be one the route declares,
 * its body must match that response's schema (strict objects, `error.code` among those the
 * route declares for that status). A drift between code and contract fails the test that saw it.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { buildOpenApiDocument, type OpenApiDocument } from '../../src/contract/openapi';
import { declaredRoutes } from './routes';

let document: OpenApiDocument | undefined;
let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

export function openApiDocument(): OpenApiDocument {
  return (document ??= buildOpenApiDocument('test', declaredRoutes()));
}

function validator(pointer: string): ValidateFunction {
  let validate = validators.get(pointer);
  if (!validate) {
    if (!ajv) {
      // strict: false because the document carries OpenAPI keywords (paths, responses…) around its schemas.
      ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats(ajv);
      ajv.addSchema(openApiDocument() as object, 'openapi.json');
    }
    validate = ajv.compile({ $ref: `openapi.json#${pointer}` });
    validators.set(pointer, validate);
  }
  return validate;
}

const pointerSegment = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

export interface ContractAnswer {
  /** The URL path (`/start-verify`) or route name (`start-verify`). */
  path: string;
  /** Default: the route's only operation. */
  method?: string;
  status: number;
  body: unknown;
}

/** Why an answer does not match the contract, or undefined when it does. */
export function contractViolation({ path, method, status, body }: ContractAnswer): string | undefined {
  const route = path.startsWith('/') ? path : `/${path}`;
  const item = openApiDocument().paths[route];
  if (!item) return `${route} is not in the OpenAPI document`;
  const verb = method?.toLowerCase() ?? Object.keys(item)[0];
  // A CORS preflight (OPTIONS, 204, no body) is HTTP plumbing, not an operation of the contract.
  if (verb === 'options' && status === 204)
    return body === undefined || body === null || body === '' ? undefined : `${route} preflight has a body`;
  // Another method is answered 405 as the route's operation declares it.
  const operationVerb = item[verb] ? verb : status === 405 ? Object.keys(item)[0] : verb;
  const operation = item[operationVerb] as { responses: Record<string, unknown> } | undefined;
  if (!operation) return `${verb.toUpperCase()} ${route} is not in the OpenAPI document`;
  if (!operation.responses[String(status)])
    return `${verb.toUpperCase()} ${route} answered ${status}, which the contract does not declare (${JSON.stringify(body)})`;
  const validate = validator(
    `/paths/${pointerSegment(route)}/${operationVerb}/responses/${status}/content/application~1json/schema`,
  );
  if (validate(body)) return undefined;
  return `${verb.toUpperCase()} ${route} ${status} does not match the contract: ${ajvErrors(validate)} in ${JSON.stringify(body)}`;
}

function ajvErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`)
    .join('; ');
}

/** Throws when the answer does not match the contract. */
export function expectContract(answer: ContractAnswer): void {
  const violation = contractViolation(answer);
  if (violation) throw new Error(`Contract drift: ${violation}`);
}

/** Paths of the functions in the contract, e.g. to tell which answers a browser test must check. */
export function contractPaths(): string[] {
  return Object.keys(openApiDocument().paths);
}

/**
 * fetch() for a route of the local stack, whose answer is checked against the contract before
 * the caller sees it (the body stays readable: a clone is parsed).
 */
export async function contractFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(input, init);
  const url = input instanceof Request ? input.url : String(input);
  const method = init.method ?? (input instanceof Request ? input.method : 'GET');
  const path = new URL(url).pathname;
  if (contractPaths().includes(path)) {
    const text = await response.clone().text();
    let body: unknown = text === '' ? undefined : text;
    try {
      if (text !== '') body = JSON.parse(text);
    } catch {
      // Not JSON: the schema check below says so.
    }
    expectContract({ path, method, status: response.status, body });
  }
  return response;
}
