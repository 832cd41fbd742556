import { authContract } from './auth.contract.ts';
import { openPgEngine } from './engine-pg.ts';

authContract(() => openPgEngine('auth'));
