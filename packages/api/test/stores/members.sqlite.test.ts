import { openSqliteEngine } from './engine-sqlite.ts';
import { membersContract } from './members.contract.ts';

membersContract(openSqliteEngine);
