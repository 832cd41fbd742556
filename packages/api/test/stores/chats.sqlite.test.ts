import { chatsContract } from './chats.contract.ts';
import { openSqliteEngine } from './engine-sqlite.ts';

chatsContract(openSqliteEngine);
