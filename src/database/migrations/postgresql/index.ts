import { Migration20261206200000_ll_ledger_summaries } from './Migration20261206200000_ll_ledger_summaries';
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261206194000_ll_audit_natural_key } from './Migration20261206194000_ll_audit_natural_key';
import { Migration20261206192500_ll_ledger_documents_as_text } from './Migration20261206192500_ll_ledger_documents_as_text';
import { Migration20261206192000_ll_decision_documents_as_text } from './Migration20261206192000_ll_decision_documents_as_text';
import { Migration20261206191000_ll_decided_on } from './Migration20261206191000_ll_decided_on';
import { Migration20261206193000_dl_digital_letter_jobs } from './Migration20261206193000_dl_digital_letter_jobs';
import { Migration20261206190000_ll_lean_indexes } from './Migration20261206190000_ll_lean_indexes';
import { Migration20261206180000_ho_writeback_handover } from './Migration20261206180000_ho_writeback_handover';
import { Migration20261206170000_rt_personal_data_retention } from './Migration20261206170000_rt_personal_data_retention';
import { Migration20261206150000_vp_audit_verification_runs } from './Migration20261206150000_vp_audit_verification_runs';
import { Migration20261206040000_audit_append_only } from './Migration20261206040000_audit_append_only';
import { Migration20261206030657_audit_checkpoints } from './Migration20261206030657_audit_checkpoints';
import { Migration20261206040000_overview_indexes } from './Migration20261206040000_overview_indexes';
import { Migration20261206020543_case_work } from './Migration20261206020543_case_work';
import { Migration20261205235312_policy_drafts } from './Migration20261205235312_policy_drafts';
import { Migration20261205213219_receipt_mail_jobs } from './Migration20261205213219_receipt_mail_jobs';
import { Migration20261205212944_policy_activations } from './Migration20261205212944_policy_activations';
import { Migration20261205210000_writeback_claimant } from './Migration20261205210000_writeback_claimant';
import { Migration20261123134808_deferrals } from './Migration20261123134808_deferrals';
import { Migration20261123133358_ledger } from './Migration20261123133358_ledger';
import { Migration20261123131915_sessions } from './Migration20261123131915_sessions';
import { Migration20261123130556_init } from './Migration20261123130556_init';
import { Migration20261207060157_policy_simulations } from './Migration20261207060157_policy_simulations';
import { Migration20261207120000_one_running_simulation } from './Migration20261207120000_one_running_simulation';
import { Migration20261207210000_ll_audit_payload_lz4 } from './Migration20261207210000_ll_audit_payload_lz4';

/** Applied in this order; add each new migration here. */
export const postgresqlMigrations: MigrationObject[] = [
  { name: 'Migration20261123130556_init', class: Migration20261123130556_init },
  { name: 'Migration20261123131915_sessions', class: Migration20261123131915_sessions },
  { name: 'Migration20261123133358_ledger', class: Migration20261123133358_ledger },
  { name: 'Migration20261123134808_deferrals', class: Migration20261123134808_deferrals },
  {
    name: 'Migration20261205210000_writeback_claimant',
    class: Migration20261205210000_writeback_claimant,
  },
  {
    name: 'Migration20261205212944_policy_activations',
    class: Migration20261205212944_policy_activations,
  },
  {
    name: 'Migration20261205213219_receipt_mail_jobs',
    class: Migration20261205213219_receipt_mail_jobs,
  },
  { name: 'Migration20261205235312_policy_drafts', class: Migration20261205235312_policy_drafts },
  { name: 'Migration20261206020543_case_work', class: Migration20261206020543_case_work },
  {
    name: 'Migration20261206040000_overview_indexes',
    class: Migration20261206040000_overview_indexes,
  },
  {
    name: 'Migration20261206030657_audit_checkpoints',
    class: Migration20261206030657_audit_checkpoints,
  },
  {
    name: 'Migration20261206040000_audit_append_only',
    class: Migration20261206040000_audit_append_only,
  },
  {
    name: 'Migration20261206150000_vp_audit_verification_runs',
    class: Migration20261206150000_vp_audit_verification_runs,
  },
  {
    name: 'Migration20261206170000_rt_personal_data_retention',
    class: Migration20261206170000_rt_personal_data_retention,
  },
  {
    name: 'Migration20261206180000_ho_writeback_handover',
    class: Migration20261206180000_ho_writeback_handover,
  },
  {
    name: 'Migration20261206190000_ll_lean_indexes',
    class: Migration20261206190000_ll_lean_indexes,
  },
  { name: 'Migration20261206191000_ll_decided_on', class: Migration20261206191000_ll_decided_on },
  {
    name: 'Migration20261206192000_ll_decision_documents_as_text',
    class: Migration20261206192000_ll_decision_documents_as_text,
  },
  {
    name: 'Migration20261206192500_ll_ledger_documents_as_text',
    class: Migration20261206192500_ll_ledger_documents_as_text,
  },
  {
    name: 'Migration20261206193000_dl_digital_letter_jobs',
    class: Migration20261206193000_dl_digital_letter_jobs,
  },
  {
    name: 'Migration20261206194000_ll_audit_natural_key',
    class: Migration20261206194000_ll_audit_natural_key,
  },
  {
    name: 'Migration20261206200000_ll_ledger_summaries',
    class: Migration20261206200000_ll_ledger_summaries,
  },
  {
    name: 'Migration20261207060157_policy_simulations',
    class: Migration20261207060157_policy_simulations,
  },
  {
    name: 'Migration20261207120000_one_running_simulation',
    class: Migration20261207120000_one_running_simulation,
  },
  {
    name: 'Migration20261207210000_ll_audit_payload_lz4',
    class: Migration20261207210000_ll_audit_payload_lz4,
  },
];
