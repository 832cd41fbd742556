import { chatsContract } from './chats.contract.ts';
import { openPgEngine } from './engine-pg.ts';

chatsContract(() => openPgEngine('chats'));
