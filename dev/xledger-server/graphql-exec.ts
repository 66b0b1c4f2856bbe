import { resolveValue, type Operation, type Selection, type Value } from './graphql-lite';

/** A GraphQL error as Xledger sends it: a message, and for its own failures a code. */
export interface GraphQLError {
  message: string;
  code?: string;
  path?: (string | number)[];
}

export class GraphQLFieldError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface InputType {
  name: string;
  fields: readonly string[];
}

type Resolver<C> = (parent: unknown, args: Record<string, unknown>, context: C) => unknown;

export interface FieldDef<C> {
  /** The object type of the field, or undefined for a scalar; lists are resolved as arrays. */
  type?: string;
  /** Allowed arguments; an input object argument names its type and the fields it accepts. */
  args?: Record<string, true | InputType>;
  /** Defaults to reading the parent's property of the same name. */
  resolve?: Resolver<C>;
}

export type Schema<C> = Record<string, Record<string, FieldDef<C>>>;

/**
 * Validates the whole operation against the schema first (as a GraphQL server does: nothing runs
 * when a field or argument is wrong), then resolves it. Errors use graphql-js's wording.
 */
export function execute<C>(
  schema: Schema<C>,
  operation: Operation,
  variables: Record<string, unknown>,
  context: C,
): { data: Record<string, unknown> | null; errors?: GraphQLError[] } {
  const root = operation.kind === 'query' ? 'Query' : 'Mutation';
  const problems: GraphQLError[] = [];
  for (const [name, declared] of Object.entries(operation.variables)) {
    if (declared.required && (variables[name] === undefined || variables[name] === null)) {
      problems.push({ message: `Variable "$${name}" of required type was not provided.` });
    }
  }
  validate(schema, root, operation.selections, operation, problems);
  if (problems.length > 0) return { data: null, errors: problems };
  const values = { ...defaults(operation), ...variables };
  try {
    return {
      data: resolveSelections(schema, root, undefined, operation.selections, values, context),
    };
  } catch (error) {
    if (!(error instanceof GraphQLFieldError)) throw error;
    return { data: null, errors: [{ message: error.message, code: error.code }] };
  }
}

function defaults(operation: Operation): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, declared] of Object.entries(operation.variables)) {
    if (declared.defaultValue) values[name] = resolveValue(declared.defaultValue, {});
  }
  return values;
}

function validate<C>(
  schema: Schema<C>,
  typeName: string,
  selections: readonly Selection[],
  operation: Operation,
  problems: GraphQLError[],
): void {
  const type = schema[typeName];
  for (const selection of selections) {
    const field = type[selection.name];
    if (!field) {
      problems.push({ message: `Cannot query field "${selection.name}" on type "${typeName}".` });
      continue;
    }
    for (const [arg, value] of Object.entries(selection.args)) {
      const allowed = field.args?.[arg];
      if (!allowed) {
        problems.push({
          message: `Unknown argument "${arg}" on field "${typeName}.${selection.name}".`,
        });
        continue;
      }
      checkVariables(value, operation, problems);
      if (allowed !== true && value.kind === 'object') {
        for (const key of Object.keys(value.fields)) {
          if (!allowed.fields.includes(key)) {
            problems.push({ message: `Field "${key}" is not defined by type "${allowed.name}".` });
          }
        }
      }
    }
    if (field.type && !selection.selections) {
      problems.push({
        message: `Field "${selection.name}" of type "${field.type}" must have a selection of subfields.`,
      });
    } else if (!field.type && selection.selections) {
      problems.push({
        message: `Field "${selection.name}" must not have a selection since its type has no subfields.`,
      });
    } else if (field.type && selection.selections) {
      validate(schema, field.type, selection.selections, operation, problems);
    }
  }
}

function checkVariables(value: Value, operation: Operation, problems: GraphQLError[]): void {
  if (value.kind === 'variable' && !(value.name in operation.variables)) {
    problems.push({ message: `Variable "$${value.name}" is not defined.` });
  } else if (value.kind === 'list') {
    for (const item of value.items) checkVariables(item, operation, problems);
  } else if (value.kind === 'object') {
    for (const item of Object.values(value.fields)) checkVariables(item, operation, problems);
  }
}

function resolveSelections<C>(
  schema: Schema<C>,
  typeName: string,
  parent: unknown,
  selections: readonly Selection[],
  variables: Record<string, unknown>,
  context: C,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const selection of selections) {
    const field = schema[typeName][selection.name];
    const args = Object.fromEntries(
      Object.entries(selection.args).map(([k, v]) => [k, resolveValue(v, variables)]),
    );
    const value = field.resolve
      ? field.resolve(parent, args, context)
      : (parent as Record<string, unknown> | undefined)?.[selection.name];
    out[selection.key] = shape(schema, field, value, selection, variables, context);
  }
  return out;
}

function shape<C>(
  schema: Schema<C>,
  field: FieldDef<C>,
  value: unknown,
  selection: Selection,
  variables: Record<string, unknown>,
  context: C,
): unknown {
  if (value === undefined || value === null) return null;
  if (!field.type) return value;
  if (Array.isArray(value)) {
    return value.map((item) => shape(schema, field, item, selection, variables, context));
  }
  return resolveSelections(schema, field.type, value, selection.selections!, variables, context);
}
