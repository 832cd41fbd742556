// What the CLI writes is audited as the CLI and the OS user behind it (`cli:<user>`), not as
// "System"; the admin audit view names people, marks and tenants instead of showing raw ids, and
// filters by email; `user:list` names tenants by slug.
import { userInfo } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli.ts';
import {
  CookieFetch,
  STRONG_PASSWORD,
  startTestServer,
  type TestServer,
  trpcClient,
} from './harness.ts';

describe('CLI actions in the audit log', () => {
  let server: TestServer;
  afterEach(() => server.stop());

  it('are labelled cli:<os user>, shown with names, filterable by email; user:list shows slugs', async () => {
    server = await startTestServer({ seedDemo: true });
    const admin = trpcClient(server.url, new CookieFetch(server.url));
    await admin.auth.signUp.mutate({ email: 'root@example.com', password: STRONG_PASSWORD });
    const out: string[] = [];
    const cli = async (...argv: string[]) => {
      out.length = 0;
      const code = await runCli(argv, {
        ...server.storage.config,
        io: { out: (l) => out.push(l), err: (l) => out.push(l), readStdin: async () => '' },
      });
      expect(code, `${argv.join(' ')}\n${out.join('\n')}`).toBe(0);
      return out.join('\n');
    };
    const { sql } = server.storage;
    const [{ id: before } = { id: 0 }] = await sql<{ id: number | string }>(
      'select max(id) as id from audit_events',
    );

    await cli('user:create', 'ann@example.com', '--password', 'a sturdy passphrase');
    await cli('vendor:create', 'mosaico', '--owner', 'ann@example.com', '--name', 'Mosaico');
    await cli('mark:grant', 'ann@example.com', 'enterprise', '--days', '3');
    await cli('credits:add', 'ann@example.com', '100');
    await cli('credits:set', 'ann@example.com', '50');
    await cli('apikey:create', 'ann@example.com', '--name', 'ci');
    await cli('mark:revoke', 'ann@example.com', 'enterprise');
    await cli('refill:run');
    await cli('user:disable', 'ann@example.com', '--reason', 'test');
    await cli('user:enable', 'ann@example.com');

    const written = await sql<{ action: string; actor_label: string | null }>(
      'select action, actor_label from audit_events where id > $1 order by id',
      [before],
    );
    const label = `cli:${userInfo().username}`;
    expect(new Set(written.map((w) => w.action))).toEqual(
      new Set([
        'user.created',
        'membership.granted',
        'vendor.created',
        'credits.added',
        'credits.set',
        'api_key.created',
        'membership.revoked',
        'credits.refill_run',
        'user.disabled',
        'user.enabled',
      ]),
    );
    expect(written.filter((w) => w.actor_label !== label)).toEqual([]);

    // The admin view: labels and names rather than ids, and a filter by email.
    const { events } = await admin.admin.audit.list.query({ limit: 200 });
    const granted = events.find((e) => e.action === 'membership.granted' && e.actorLabel);
    expect(granted).toMatchObject({ actorLabel: label, subjectLabel: 'ann@example.com' });
    expect(events.find((e) => e.action === 'vendor.created')).toMatchObject({
      actorLabel: label,
      subjectLabel: 'Mosaico (mosaico)',
    });
    const rootSignUp = events.find((e) => e.action === 'user.created' && !e.actorLabel);
    expect(rootSignUp).toMatchObject({
      actorEmail: 'root@example.com',
      subjectLabel: 'root@example.com',
    });
    const anns = await admin.admin.audit.list.query({ email: 'ANN@', limit: 200 });
    // Everything done to ann as a user (the vendor, the key and the refill run are other subjects).
    expect(new Set(anns.events.map((e) => e.action))).toEqual(
      new Set([
        'user.created',
        'membership.granted',
        'credits.added',
        'credits.set',
        'membership.revoked',
        'user.disabled',
        'user.enabled',
      ]),
    );
    expect(
      anns.events.every(
        (e) => e.subjectLabel === 'ann@example.com' || e.actorEmail === 'ann@example.com',
      ),
    ).toBe(true);
    expect((await admin.admin.audit.list.query({ email: 'nobody@' })).events).toEqual([]);

    // user:list names tenants by slug.
    const listed = await cli('user:list', '--search', 'ann');
    expect(listed).toContain('mosaico:owner');
    const { id: vendorId } = await server.storage.stores.catalog.getVendorBySlug('mosaico');
    expect(listed).not.toContain(vendorId);
    expect(await cli('user:list', '--search', 'root')).toContain('platform:owner');
  });
});
