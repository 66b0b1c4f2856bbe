import { GraphQLFieldError, type FieldDef, type InputType, type Schema } from './graphql-exec';
import {
  connection,
  type UpdateArTransactionNode,
  type XledgerEntity,
  type XledgerStore,
} from './xledger-store';

/**
 * The slice of Xledger's GraphQL schema the portal touches, with the names Xledger's public
 * clients use (Bostads-AB-Mimer/onecore, FINTLabs/fint-xledger-adapter, xledger/graphql-samples):
 * `companies`, `customers`, `arTransactions`, `salesOrders` as edges/node connections with
 * `first`/`last`/`after` and a `filter`, and `updateArTransactions(inputs: { node })`.
 */
export interface XledgerContext {
  store: XledgerStore;
  entity: XledgerEntity;
}

type Fields = Record<string, FieldDef<XledgerContext>>;

const PAGING = { first: true, last: true, after: true } as const;

const COMPANY_FILTER: InputType = { name: 'Company_Filter', fields: ['dbId', 'companyNumber'] };
const CUSTOMER_FILTER: InputType = {
  name: 'Customer_Filter',
  fields: ['dbId', 'code', 'code_in', 'companyDbId'],
};
const AR_FILTER: InputType = {
  name: 'ARTransaction_Filter',
  fields: [
    'dbId',
    'subledgerDbId',
    'invoiceNumber',
    'matchId',
    'matchId_in',
    'invoiceRemaining_gt',
    'headerTransactionSourceDbId_in',
    'invoiceDate_gte',
    'invoiceDate_lte',
  ],
};
const SALES_ORDER_FILTER: InputType = {
  name: 'SalesOrder_Filter',
  fields: ['invoiceNumber', 'subledgerDbId'],
};
const UPDATE_NODE_FIELDS = ['dbId', 'dueDate', 'deferredDueDate', 'text'];

/** `<field>`, `<field>_in`, `<field>_gt`, `<field>_gte`, `<field>_lte`, as Xledger's filters read. */
function matches(row: Record<string, unknown>, filter: Record<string, unknown>): boolean {
  return Object.entries(filter).every(([key, wanted]) => {
    if (wanted === null || wanted === undefined) return true;
    const [field, op] = key.split('_') as [string, string | undefined];
    const actual = scalarText(row[field]);
    switch (op) {
      case 'in':
        return Array.isArray(wanted) && wanted.map(scalarText).includes(actual);
      case 'gt':
        return Number(actual) > Number(scalarText(wanted));
      case 'gte':
        return actual >= scalarText(wanted);
      case 'lte':
        return actual <= scalarText(wanted);
      default:
        return actual === scalarText(wanted);
    }
  });
}

/** A filter value as text: ids arrive as numbers or strings alike. */
export function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}

function list<T>(items: (entity: XledgerEntity) => readonly T[], filterType: InputType) {
  return {
    type: `${filterType.name.replace('_Filter', '')}Connection`,
    args: { ...PAGING, filter: filterType },
    resolve: (_parent: unknown, args: Record<string, unknown>, ctx: XledgerContext) => {
      const filter = (args.filter ?? {}) as Record<string, unknown>;
      for (const key of Object.keys(filter)) {
        if (!filterType.fields.includes(key)) {
          throw new GraphQLFieldError(
            `Field "${key}" is not defined by type "${filterType.name}".`,
          );
        }
      }
      const rows = items(ctx.entity).filter((row) =>
        matches(row as Record<string, unknown>, filter),
      );
      return connection(rows, args);
    },
  } satisfies FieldDef<XledgerContext>;
}

function connectionTypes(node: string): Record<string, Fields> {
  return {
    [`${node}Connection`]: { edges: { type: `${node}Edge` }, pageInfo: { type: 'PageInfo' } },
    [`${node}Edge`]: { cursor: {}, node: { type: node } },
  };
}

function updateArTransactions(
  _parent: unknown,
  args: Record<string, unknown>,
  ctx: XledgerContext,
) {
  const inputs = Array.isArray(args.inputs) ? args.inputs : [args.inputs];
  const nodes = inputs.map((input) => {
    const node = (input as { node?: UpdateArTransactionNode } | null)?.node;
    if (!node || typeof node !== 'object') {
      throw new GraphQLFieldError('Each input must have a node');
    }
    for (const key of Object.keys(node)) {
      if (!UPDATE_NODE_FIELDS.includes(key)) {
        throw new GraphQLFieldError(`Field "${key}" is not defined by type "ArTransactionUpdate".`);
      }
    }
    return node;
  });
  const rows = ctx.store.updateArTransactions(ctx.entity, nodes);
  return { edges: rows.map((node) => ({ node })) };
}

const scalars = (...names: string[]): Fields =>
  Object.fromEntries(names.map((name): [string, FieldDef<XledgerContext>] => [name, {}]));

export const XLEDGER_SCHEMA: Schema<XledgerContext> = {
  Query: {
    companies: list((e) => e.companies, COMPANY_FILTER),
    customers: list((e) => e.customers, CUSTOMER_FILTER),
    arTransactions: list((e) => e.arTransactions, AR_FILTER),
    salesOrders: list((e) => e.salesOrders, SALES_ORDER_FILTER),
  },
  Mutation: {
    updateArTransactions: {
      type: 'ARTransactionConnection',
      args: { inputs: true },
      resolve: updateArTransactions,
    },
  },
  PageInfo: scalars('hasNextPage', 'hasPreviousPage'),
  ...connectionTypes('Company'),
  ...connectionTypes('Customer'),
  ...connectionTypes('ARTransaction'),
  ...connectionTypes('SalesOrder'),
  Company: scalars('dbId', 'companyNumber', 'description'),
  Customer: {
    ...scalars('dbId', 'code', 'description', 'companyDbId'),
    company: {
      type: 'Company',
      resolve: (parent, _args, ctx) =>
        ctx.entity.companies.find(
          (c) => c.dbId === (parent as { companyDbId: string }).companyDbId,
        ),
    },
  },
  ARTransaction: {
    ...scalars(
      'dbId',
      'subledgerDbId',
      'invoiceNumber',
      'invoiceDate',
      'dueDate',
      'deferredDueDate',
      'amount',
      'invoiceAmount',
      'invoiceRemaining',
      'paymentReference',
      'matchId',
      'text',
      'reminderDate',
      'interest',
      'lateFee',
      'bankAccount',
      'paymentDate',
      'headerTransactionSourceDbId',
    ),
    paymentStatus: { type: 'PaymentStatus' },
    transactionHeader: { type: 'TransactionHeader' },
    subledger: {
      type: 'Customer',
      resolve: (parent, _args, ctx) =>
        ctx.entity.customers.find(
          (c) => c.dbId === (parent as { subledgerDbId: string }).subledgerDbId,
        ),
    },
  },
  PaymentStatus: scalars('name'),
  TransactionHeader: { postedDate: {}, transactionSource: { type: 'TransactionSource' } },
  TransactionSource: scalars('code'),
  SalesOrder: {
    ...scalars('dbId', 'invoiceNumber', 'subledgerDbId', 'invoiceDate'),
    details: { type: 'SalesOrderDetail' },
  },
  SalesOrderDetail: {
    ...scalars('lineNumber', 'text', 'quantity', 'unit', 'unitPrice', 'amount', 'taxAmount'),
    product: { type: 'Product' },
  },
  Product: scalars('code', 'description'),
};
