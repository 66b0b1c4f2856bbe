import { readFileSync } from 'node:fs';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { POLICY_SCHEMA_FILE } from './policy-paths';
import type { PolicyError } from '../policy.types';

let compiled: ValidateFunction | undefined;

/** The schema is compiled once per process; ajv's compiled function keeps no state between calls. */
function validator(): ValidateFunction {
  if (!compiled) {
    compiled = new Ajv2020({
      allErrors: true,
      strict: true,
      strictTypes: false,
      strictRequired: false,
    }).compile(readPolicySchema());
  }
  return compiled;
}

export function readPolicySchema(): object {
  return JSON.parse(readFileSync(POLICY_SCHEMA_FILE, 'utf8')) as object;
}

/** Errors against the JSON Schema, each pointing at the property that is wrong rather than its parent. */
export function schemaErrors(value: unknown): PolicyError[] {
  const validate = validator();
  if (validate(value)) return [];
  const seen = new Set<string>();
  const errors: PolicyError[] = [];
  for (const error of validate.errors ?? []) {
    // if/then wrappers only say "must match then schema"; the error inside the branch says what.
    if (error.keyword === 'if') continue;
    // A bad parameter name is reported once, at the name, by the propertyNames error below.
    if (error.propertyName !== undefined) continue;
    const mapped = toPolicyError(error);
    const key = `${mapped.path}\u0000${mapped.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(mapped);
  }
  return errors;
}

function toPolicyError(error: ErrorObject): PolicyError {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return {
        path: `${error.instancePath}/${pointerToken(params.missingProperty)}`,
        message: 'is required',
      };
    case 'additionalProperties':
      return {
        path: `${error.instancePath}/${pointerToken(params.additionalProperty)}`,
        message: 'is not allowed here',
      };
    case 'propertyNames':
      return {
        path: `${error.instancePath}/${pointerToken(params.propertyName)}`,
        message: 'is not an allowed name',
      };
    case 'const':
      return {
        path: error.instancePath,
        message: `must be ${JSON.stringify(params.allowedValue)}`,
      };
    case 'enum':
      return {
        path: error.instancePath,
        message: `${error.message}: ${(params.allowedValues as unknown[]).map(String).join(', ')}`,
      };
    default:
      return { path: error.instancePath, message: error.message ?? error.keyword };
  }
}

function pointerToken(token: unknown): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}
