import { openPgEngine } from './engine-pg.ts';
import { paymentsContract } from './payments.contract.ts';

paymentsContract(() => openPgEngine('payments'));
