import { catalogContract } from './catalog.contract.ts';
import { catalogUnlocksContract } from './catalog.unlocks.contract.ts';
import { catalogVendorsContract } from './catalog-vendors.contract.ts';
import { openPgEngine } from './engine-pg.ts';

catalogContract(() => openPgEngine('catalog'));
catalogVendorsContract(() => openPgEngine('catalog'));
catalogUnlocksContract(() => openPgEngine('catalog'));
