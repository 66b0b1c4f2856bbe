/** What the finance feature offers the rest of the portal; other features import only this. */
export { FinanceSystem } from './finance-system.port';
export type { DecisionInputs, DueDateChange, FinanceCapabilities } from './finance-system.port';
export type { FinanceTenant } from './finance-tenant';
export { financeConfig } from './finance.config';
export {
  FinanceError,
  FinanceNotFoundError,
  FinanceRejectedError,
  FinanceUnavailableError,
} from './finance.errors';
export { FinanceModule } from './finance.module';
export { FINANCE_ADAPTERS, financeSettingsProblem } from './finance-settings';
export type { FinanceAdapterKind } from './finance-settings';
export { IN_COLLECTION_STATUSES, isInCollection } from './invoice.model';
export type {
  CollectionAgency,
  Invoice,
  InvoiceCategory,
  InvoiceStatus,
  InvoiceSummary,
} from './invoice.model';
export type { PaymentHistory } from './payment-history.model';
