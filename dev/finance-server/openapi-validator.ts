import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

interface Operation {
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, unknown>;
    responses: Record<string, Operation['responses'][string]>;
  };
}

/**
 * Validates answers against contracts/finance-system.openapi.yaml, so the stand-in server is held
 * to the same contract the HTTP adapter is written against.
 */
export function loadContract(
  path = join(__dirname, '../../contracts/finance-system.openapi.yaml'),
) {
  const document = parse(readFileSync(path, 'utf8')) as OpenApiDocument;
  // OpenAPI 3.1 schemas are JSON Schema 2020-12; only the $ref base differs.
  const rebase = (value: unknown) =>
    JSON.parse(
      JSON.stringify(value).replaceAll('#/components/schemas/', 'contract#/$defs/'),
    ) as Record<string, unknown>;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'contract', $defs: rebase(document.components.schemas) });
  const cache = new Map<string, ValidateFunction>();

  return {
    document,
    /** Throws unless `body` is what the contract allows for this operation and status. */
    check(
      pathTemplate: string,
      method: string,
      status: number,
      contentType: string,
      body: unknown,
    ): void {
      const key = `${method} ${pathTemplate} ${status} ${contentType}`;
      let validate = cache.get(key);
      if (!validate) {
        let response =
          document.paths[pathTemplate]?.[method.toLowerCase()]?.responses[String(status)];
        if (response?.$ref)
          response = document.components.responses[response.$ref.split('/').pop()!];
        const schema = response?.content?.[contentType]?.schema;
        if (!schema) throw new Error(`The contract has no ${key}`);
        validate = ajv.compile(rebase(schema));
        cache.set(key, validate);
      }
      if (!validate(body))
        throw new Error(`${key} breaks the contract: ${ajv.errorsText(validate.errors)}`);
    },
  };
}
