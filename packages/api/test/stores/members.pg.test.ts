import { openPgEngine } from './engine-pg.ts';
import { membersContract } from './members.contract.ts';

membersContract(() => openPgEngine('members'));
