import { catalogContract } from './catalog.contract.ts';
import { catalogUnlocksContract } from './catalog.unlocks.contract.ts';
import { catalogVendorsContract } from './catalog-vendors.contract.ts';
import { openSqliteEngine } from './engine-sqlite.ts';

catalogContract(openSqliteEngine);
catalogVendorsContract(openSqliteEngine);
catalogUnlocksContract(openSqliteEngine);
