/**
 * The part of GraphQL the Xledger stand-in needs, without a GraphQL library: one operation
 * (query, mutation or the `{ … }` shorthand) with variables, selections with arguments and
 * aliases; no fragments or directives. Parse errors carry GraphQL's wording, so a client sees
 * what a real server would say of a malformed query.
 */

export type Value =
  | { kind: 'variable'; name: string }
  | { kind: 'literal'; value: unknown }
  | { kind: 'list'; items: Value[] }
  | { kind: 'object'; fields: Record<string, Value> };

export interface Selection {
  /** The key in the answer: the alias, or the field name. */
  key: string;
  name: string;
  args: Record<string, Value>;
  /** Undefined for a scalar. */
  selections?: Selection[];
}

export interface Operation {
  kind: 'query' | 'mutation';
  /** Declared variables: name → whether the type is non-null. */
  variables: Record<string, { required: boolean; defaultValue?: Value }>;
  selections: Selection[];
}

export class GraphQLSyntaxError extends Error {}

type Token = { kind: 'punct' | 'name' | 'number' | 'string'; text: string; at: number };

const PUNCT = new Set(['!', '$', '(', ')', ':', '=', '[', ']', '{', '}']);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/[\s,\uFEFF]/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (source.startsWith('...', i)) {
      throw new GraphQLSyntaxError('Fragments are not supported by this stand-in');
    } else if (PUNCT.has(c)) {
      tokens.push({ kind: 'punct', text: c, at: i++ });
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))![0];
      tokens.push({ kind: 'name', text: match, at: i });
      i += match.length;
    } else if (/[-0-9]/.test(c)) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(i));
      if (!match) throw new GraphQLSyntaxError(`Syntax Error: Invalid number at ${i}`);
      tokens.push({ kind: 'number', text: match[0], at: i });
      i += match[0].length;
    } else if (c === '"') {
      const [text, end] = readString(source, i);
      tokens.push({ kind: 'string', text, at: i });
      i = end;
    } else {
      throw new GraphQLSyntaxError(`Syntax Error: Unexpected character "${c}" at ${i}`);
    }
  }
  return tokens;
}

function readString(source: string, start: number): [string, number] {
  if (source.startsWith('"""', start)) {
    const end = source.indexOf('"""', start + 3);
    if (end < 0) throw new GraphQLSyntaxError('Syntax Error: Unterminated string');
    return [source.slice(start + 3, end), end + 3];
  }
  let i = start + 1;
  let text = '';
  while (i < source.length && source[i] !== '"') {
    if (source[i] === '\n') break;
    if (source[i] === '\\') {
      const next = source[i + 1];
      if (next === 'u') {
        text += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
      text += escapes[next] ?? next;
      i += 2;
      continue;
    }
    text += source[i++];
  }
  if (source[i] !== '"') throw new GraphQLSyntaxError('Syntax Error: Unterminated string');
  return [text, i + 1];
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  document(): Operation {
    const operation = this.operation();
    if (this.i < this.tokens.length) {
      throw new GraphQLSyntaxError('This stand-in answers one operation per request');
    }
    return operation;
  }

  private operation(): Operation {
    let kind: Operation['kind'] = 'query';
    const first = this.peek();
    if (first?.kind === 'name') {
      if (first.text !== 'query' && first.text !== 'mutation') {
        throw this.unexpected(first);
      }
      kind = first.text;
      this.i++;
      if (this.peek()?.kind === 'name') this.i++; // operation name
    }
    const variables: Operation['variables'] = {};
    if (this.accept('(')) {
      while (!this.accept(')')) {
        this.expect('$');
        const name = this.name();
        this.expect(':');
        const required = this.type();
        const defaultValue = this.accept('=') ? this.value() : undefined;
        variables[name] = { required, defaultValue };
      }
    }
    return { kind, variables, selections: this.selectionSet() };
  }

  /** Reads a type reference; true when its outermost type is non-null. */
  private type(): boolean {
    if (this.accept('[')) {
      this.type();
      this.expect(']');
    } else {
      this.name();
    }
    return this.accept('!');
  }

  private selectionSet(): Selection[] {
    this.expect('{');
    const selections: Selection[] = [];
    while (!this.accept('}')) selections.push(this.selection());
    if (selections.length === 0) throw new GraphQLSyntaxError('Syntax Error: Expected Name');
    return selections;
  }

  private selection(): Selection {
    let name = this.name();
    const key = name;
    if (this.accept(':')) {
      name = this.name();
    }
    const args: Record<string, Value> = {};
    if (this.accept('(')) {
      while (!this.accept(')')) {
        const arg = this.name();
        this.expect(':');
        args[arg] = this.value();
      }
    }
    const selections = this.peek()?.text === '{' ? this.selectionSet() : undefined;
    return { key, name, args, selections };
  }

  private value(): Value {
    const token = this.next();
    if (token.kind === 'punct') {
      if (token.text === '$') return { kind: 'variable', name: this.name() };
      if (token.text === '[') {
        const items: Value[] = [];
        while (!this.accept(']')) items.push(this.value());
        return { kind: 'list', items };
      }
      if (token.text === '{') {
        const fields: Record<string, Value> = {};
        while (!this.accept('}')) {
          const field = this.name();
          this.expect(':');
          fields[field] = this.value();
        }
        return { kind: 'object', fields };
      }
      throw this.unexpected(token);
    }
    if (token.kind === 'string') return { kind: 'literal', value: token.text };
    if (token.kind === 'number') return { kind: 'literal', value: Number(token.text) };
    if (token.text === 'true' || token.text === 'false')
      return { kind: 'literal', value: token.text === 'true' };
    if (token.text === 'null') return { kind: 'literal', value: null };
    return { kind: 'literal', value: token.text }; // an enum value
  }

  private name(): string {
    const token = this.next();
    if (token.kind !== 'name') throw this.unexpected(token);
    return token.text;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private next(): Token {
    const token = this.tokens[this.i++];
    if (!token) throw new GraphQLSyntaxError('Syntax Error: Unexpected <EOF>');
    return token;
  }

  private accept(punct: string): boolean {
    const token = this.peek();
    if (token?.kind === 'punct' && token.text === punct) {
      this.i++;
      return true;
    }
    return false;
  }

  private expect(punct: string): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.text !== punct) throw this.unexpected(token, punct);
  }

  private unexpected(token: Token, expected?: string): GraphQLSyntaxError {
    const wanted = expected ? `Expected "${expected}", found` : 'Unexpected';
    return new GraphQLSyntaxError(`Syntax Error: ${wanted} "${token.text}" at ${token.at}`);
  }
}

export function parseOperation(source: string): Operation {
  return new Parser(tokenize(source)).document();
}

/** The value an argument has once variables are put in; a missing variable is null. */
export function resolveValue(value: Value, variables: Record<string, unknown>): unknown {
  switch (value.kind) {
    case 'variable':
      return variables[value.name] ?? null;
    case 'literal':
      return value.value;
    case 'list':
      return value.items.map((item) => resolveValue(item, variables));
    case 'object':
      return Object.fromEntries(
        Object.entries(value.fields).map(([k, v]) => [k, resolveValue(v, variables)]),
      );
  }
}
