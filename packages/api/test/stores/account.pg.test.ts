import { accountContract } from './account.contract.ts';
import { openPgEngine } from './engine-pg.ts';

accountContract(() => openPgEngine('account'));
