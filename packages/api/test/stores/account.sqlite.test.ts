import { accountContract } from './account.contract.ts';
import { openSqliteEngine } from './engine-sqlite.ts';

accountContract(openSqliteEngine);
