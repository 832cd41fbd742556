import { authContract } from './auth.contract.ts';
import { openSqliteEngine } from './engine-sqlite.ts';

authContract(openSqliteEngine);
