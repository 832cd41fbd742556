import { chatsContract } from './chats.contract.ts';
import { chatsMediaAndUsageContract } from './chats.media-and-usage.contract.ts';
import { openSqliteEngine } from './engine-sqlite.ts';

chatsContract(openSqliteEngine);
chatsMediaAndUsageContract(openSqliteEngine);
