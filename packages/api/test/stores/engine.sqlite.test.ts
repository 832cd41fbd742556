import { engineContract } from './engine.contract.ts';
import { openSqliteEngine } from './engine-sqlite.ts';

engineContract(openSqliteEngine);
