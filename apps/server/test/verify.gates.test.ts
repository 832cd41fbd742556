// Trials, plan codes and Stripe checkout wait for a verified address (decision 022), over real
// HTTP with the real stripe SDK against the fake Stripe on loopback: each is refused with
// EMAIL_NOT_VERIFIED and writes nothing (the plan code stays usable, Stripe is never called), a
// credits code is not gated, and after the mailed link is opened each goes through.
import { describe, expect, it } from 'vitest';
import { billingHarness, refusal } from './billing-harness.ts';
import { CookieFetch, STRONG_PASSWORD, trpcClient } from './harness.ts';
import { linkIn, tokenOf } from './mail-support.ts';

const b = billingHarness();

async function unverifiedMember(email: string) {
  const client = trpcClient(b.server.url, new CookieFetch(b.server.url));
  const viewer = await client.auth.signUp.mutate({ email, password: STRONG_PASSWORD });
  return { client, viewer };
}

/** The verification link from the (development) outbox, as the mailbox would show it. */
async function verificationLinkFor(email: string): Promise<string> {
  const [row] = await b.server.storage.sql<{ text: string }>(
    `select text from mail_outbox where "to" = $1 and template = 'verify_email'
     order by created_at desc limit 1`,
    [email],
  );
  return linkIn(row?.text, 'verify-email');
}

describe('a verified address gates trials, plan codes and checkout', () => {
  it('refuses each with EMAIL_NOT_VERIFIED until the link is opened, then allows it', async () => {
    await b.start();
    const admin = await unverifiedMember('root@example.com'); // the first account: the admin
    const price = b.fake.createPrice({ unitAmount: 2000, interval: 'month' });
    const pro = b.linkPlan('Pro monthly', price.id);
    const { codes } = await admin.client.admin.codes.generate.mutate({
      planKey: pro.key,
      count: 1,
    });
    const credits = await admin.client.admin.codes.generate.mutate({ credits: 500, count: 1 });

    const { client, viewer } = await unverifiedMember('farmer@example.com');
    expect(viewer.emailVerified).toBe(false);
    expect((await client.auth.me.query())?.emailVerified).toBe(false);

    const trial = await refusal(client.membership.startTrial.mutate({ planId: pro.id }));
    expect(trial).toMatchObject({ domainCode: 'EMAIL_NOT_VERIFIED', httpStatus: 403 });
    const code = await refusal(client.codes.redeem.mutate({ code: codes[0]! }));
    expect(code.domainCode).toBe('EMAIL_NOT_VERIFIED');
    const checkout = await refusal(client.billing.checkout.mutate({ planId: pro.id }));
    expect(checkout.domainCode).toBe('EMAIL_NOT_VERIFIED');
    const packId = b.pack(b.fake.createPrice({ unitAmount: 300 }).id);
    const packCheckout = await refusal(client.billing.checkout.mutate({ packId }));
    expect(packCheckout.domainCode).toBe('EMAIL_NOT_VERIFIED');
    // Nothing was written or asked of Stripe: no membership but Free, the code unused.
    const held = await client.membership.mine.query();
    expect(held.marks.map((m) => m.markKey)).toEqual(['free']);
    const [usedCodes] = await b.server.storage.sql<{ n: unknown }>(
      'select count(*) as n from redemption_codes where redeemed_at is not null',
    );
    expect(Number(usedCodes?.n)).toBe(0);
    expect(b.fake.requests.filter((r) => r.method === 'POST')).toEqual([]);
    // Purchased credits are not a trial: a credits code needs no verified address.
    const granted = await client.codes.redeem.mutate({ code: credits.codes[0]! });
    expect(granted.grant).toEqual({ kind: 'credits', credits: 500 });

    const token = tokenOf(await verificationLinkFor('farmer@example.com'));
    expect(await client.signup.verifyEmail.mutate({ token })).toEqual({
      email: 'farmer@example.com',
    });
    expect((await client.auth.me.query())?.emailVerified).toBe(true);

    const started = await client.membership.startTrial.mutate({ planId: pro.id });
    expect(started.markKey).toBe('pro');
    const redeemed = await client.codes.redeem.mutate({ code: codes[0]! });
    expect(redeemed.grant.kind).toBe('plan');
    const { url } = await client.billing.checkout.mutate({ packId });
    expect(url).toMatch(new RegExp(`^${b.fake.url}/checkout/cs_test_`));
  });
});
