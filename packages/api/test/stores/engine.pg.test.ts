import { engineContract } from './engine.contract.ts';
import { openPgEngine } from './engine-pg.ts';

engineContract(() => openPgEngine('engine'));
