// The audit and member-event rows the auth transactions write on PostgreSQL: the ops adapter's
// in-transaction writers (the same columns recordAudit and appendMemberEvent write on SQLite).
export {
  appendMemberEventPg as insertMemberEvent,
  recordAuditPg as insertAudit,
} from '../ops/in-transaction.ts';
