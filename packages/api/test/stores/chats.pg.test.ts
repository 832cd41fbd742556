import { chatsContract } from './chats.contract.ts';
import { chatsMediaAndUsageContract } from './chats.media-and-usage.contract.ts';
import { openPgEngine } from './engine-pg.ts';

chatsContract(() => openPgEngine('chats'));
chatsMediaAndUsageContract(() => openPgEngine('chats'));
