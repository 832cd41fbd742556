import { catalogContract } from './catalog.contract.ts';
import { catalogVendorsContract } from './catalog-vendors.contract.ts';
import { openPgEngine } from './engine-pg.ts';

catalogContract(() => openPgEngine('catalog'));
catalogVendorsContract(() => openPgEngine('catalog'));
