import { describe } from 'vitest';
import { openPgEngine } from './engine-pg.ts';
import { paymentsBillingContract } from './payments.billing.contract.ts';
import { paymentsCodesContract } from './payments.codes.contract.ts';
import { paymentsContract } from './payments.contract.ts';

describe('payments', () => paymentsContract(() => openPgEngine('payments')));
describe('redemption codes', () => paymentsCodesContract(() => openPgEngine('payments')));
describe('checkout', () => paymentsBillingContract(() => openPgEngine('payments')));
