import { openSqliteEngine } from './engine-sqlite.ts';
import { paymentsContract } from './payments.contract.ts';

paymentsContract(openSqliteEngine);
