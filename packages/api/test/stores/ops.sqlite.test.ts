import { openSqliteEngine } from './engine-sqlite.ts';
import { opsContract } from './ops.contract.ts';

opsContract(openSqliteEngine);
