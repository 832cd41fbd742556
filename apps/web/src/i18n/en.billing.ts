/** English: buying through Stripe (plan and pack checkout, the return notice, Account → Billing). */
export const enBilling = {
  'plans.subscribe': 'Subscribe',
  'plans.buy': 'Buy',
  'plans.trialThenCard': 'Then {price}. Cancel before the trial ends and pay nothing.',
  'plans.priceHint': '{price}, paid securely with Stripe.',
  'plans.offline': 'Not sold online',
  'plans.offlineHint': 'Online payment is not set up here: redeem a code or ask an admin.',
  'plans.notLinked': 'Not sold online yet: ask an admin to grant it.',

  'checkout.success': 'Payment received — your plan appears here in a moment.',
  'checkout.cancelled': 'Checkout cancelled. Nothing was charged.',

  'creditPacks.title': 'Credit packs',
  'creditPacks.subtitle': 'Credits you buy once, on top of what your plan gives you.',
  'creditPacks.credits': '{credits} credits',
  'creditPacks.buy': 'Buy for {price}',

  'billing.title': 'Billing',
  'billing.lead': 'Change or cancel your subscription, update your card and see past payments.',
  'billing.manage': 'Manage billing',
  'billing.offline':
    'Online payments are not set up here. Redeem a code or ask an admin for a plan.',
  'billing.invoices': 'Invoices',
  'billing.invoicesEmpty': 'No invoices yet.',
  'billing.col.number': 'Invoice',
  'billing.col.date': 'Date',
  'billing.col.amount': 'Amount',
  'billing.col.status': 'Status',
  'billing.view': 'View',
  'billing.status.paid': 'Paid',
  'billing.status.open': 'Due',
  'billing.status.draft': 'Draft',
  'billing.status.void': 'Void',
  'billing.status.uncollectible': 'Uncollectible',

  'errors.PAYMENTS_UNAVAILABLE':
    'Online payment is not set up here. Redeem a code or ask an admin instead.',
  'errors.NOT_FOR_SALE': 'This cannot be bought online right now.',
  'errors.ALREADY_SUBSCRIBED':
    'You already subscribe to this plan. Manage it under Account → Billing.',
  'errors.PAYMENT_PROVIDER_ERROR': 'The payment service did not answer as expected. Try again.',
} as const;
