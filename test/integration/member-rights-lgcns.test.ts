/**
 * Member rights end to end for the lgcns profile (ID and password sign-up, no babies, nothing
 * kept by law after withdrawal): HTTP to the local front, handlers against moto.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAccountExists } from '../../local/accounts';
import { startTestStack, type TestStack } from './harness';
import { call, latestCode, scanTable, scanTables } from './member-api';

const password = { method: 'password' as const };
const required = { membership: true, inquiries: true, 'service-history': true };

/** A token whose username is `loginId`: the ID is the sign-in username (G1). */
function asLogin(loginId: string) {
  return { method: 'password' as const, username: loginId };
}

function join(loginId: string, email: string, extra: Record<string, string> = {}) {
  return {
    items: { loginId, name: `Name of ${loginId}`, email, ...extra },
    consents: required,
    ageAffirmation: true,
    policyVersion: '1.0',
  };
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack('lgcns');
});
afterAll(async () => {
  await stack?.stop();
});

describe('joining (lgcns)', () => {
  it('G1: takes ID, name and email, and never a password', async () => {
    const withPassword = await call(stack, 'POST', '/v1/members', {
      sub: 'g1',
      token: asLogin('g1-id'),
      body: join('g1-id', 'g1@example.com', { password: 'hunter2!' }),
    });
    expect(withPassword.status).toBe(400);
    expect(withPassword.text).not.toContain('hunter2');
    const tooFew = await call(stack, 'POST', '/v1/members', {
      sub: 'g1',
      token: asLogin('g1-id'),
      body: { ...join('g1-id', 'g1@example.com'), items: { loginId: 'g1-id' } },
    });
    expect(tooFew.json.errors).toEqual([
      { field: 'items.name', problem: 'required for password sign-in' },
      { field: 'items.email', problem: 'required for password sign-in' },
    ]);
    const ok = await call(stack, 'POST', '/v1/members', {
      sub: 'g1',
      token: asLogin('g1-id'),
      body: join('g1-id', 'g1@example.com'),
    });
    expect(ok.status).toBe(201);
  });

  it('G2: joins with statistics refused and the optional mobile phone left out', async () => {
    const res = await call(stack, 'POST', '/v1/members', {
      sub: 'g2',
      token: asLogin('g2-id'),
      body: join('g2-id', 'g2@example.com'),
    });
    expect(res.status).toBe(201);
    expect(res.json.consents).toEqual({
      membership: true,
      inquiries: true,
      'service-history': true,
      statistics: false,
    });
    const phone = await call(stack, 'PATCH', '/v1/me', {
      sub: 'g2',
      token: password,
      body: { items: { mobilePhone: '+82-10-1234-5678' } },
    });
    expect(phone.status).toBe(200);
    const removed = await call(stack, 'PATCH', '/v1/me', {
      sub: 'g2',
      token: password,
      body: { items: { mobilePhone: null } },
    });
    expect(removed.json.removed).toEqual(['mobilePhone']);
    const required = await call(stack, 'PATCH', '/v1/me', {
      sub: 'g2',
      token: password,
      body: { items: { name: null } },
    });
    expect(required.status).toBe(400);
  });

  it('G13: refuses anyone who does not affirm being 14 or older', async () => {
    const res = await call(stack, 'POST', '/v1/members', {
      sub: 'g13',
      token: asLogin('g13-id'),
      body: { ...join('g13-id', 'g13@example.com'), ageAffirmation: false },
    });
    expect(res.status).toBe(403);
    expect((await call(stack, 'GET', '/v1/me', { sub: 'g13', token: password })).status).toBe(404);
  });

  it('G1: a second membership with the same ID is refused without saying whose it is', async () => {
    await call(stack, 'POST', '/v1/members', {
      sub: 'dup-1',
      token: asLogin('same-id'),
      body: join('same-id', 'dup1@example.com'),
    });
    const res = await call(stack, 'POST', '/v1/members', {
      sub: 'dup-2',
      token: asLogin('SAME-ID'),
      body: join('SAME-ID', 'dup2@example.com'),
    });
    expect(res.status).toBe(409);
    expect(res.text).not.toContain('dup-1');
  });

  it('G15: stores no plaintext of the ID, name, email or phone in any table', async () => {
    await call(stack, 'POST', '/v1/members', {
      sub: 'g15',
      token: asLogin('marker-id-z9'),
      body: join('marker-id-z9', 'marker-z9@example.com', { mobilePhone: '+82-10-9999-0909' }),
    });
    const everything = JSON.stringify(await scanTables(stack));
    for (const marker of ['marker-id-z9', 'Name of marker-id-z9', 'marker-z9', '9999-0909']) {
      expect(everything).not.toContain(marker);
    }
  });
});

describe('rights (lgcns)', () => {
  it('G10 G11: views, corrects the email after verification, and shows it frozen meanwhile', async () => {
    await call(stack, 'POST', '/v1/members', {
      sub: 'g11',
      token: asLogin('g11-id'),
      body: join('g11-id', 'g11-old@example.com'),
    });
    const patch = await call(stack, 'PATCH', '/v1/me', {
      sub: 'g11',
      token: password,
      body: { items: { email: 'g11-new@example.com', name: 'Renamed' } },
    });
    expect(patch.json.corrected).toEqual(['name']);
    expect(patch.json.pending.map((p: { item: string }) => p.item)).toEqual(['email']);
    const view = await call(stack, 'GET', '/v1/me', { sub: 'g11', token: password });
    expect(view.json.items.find((i: { id: string }) => i.id === 'email').state).toBe('under-correction');
    expect(view.json.items.find((i: { id: string }) => i.id === 'name').value).toBe('Renamed');

    const code = await latestCode(stack, 'g11-new@example.com');
    const confirm = await call(
      stack,
      'POST',
      `/v1/me/corrections/${patch.json.pending[0].correctionId}/confirm`,
      {
        sub: 'g11',
        token: password,
        body: { code },
      },
    );
    expect(confirm.status).toBe(200);
    const replay = await call(
      stack,
      'POST',
      `/v1/me/corrections/${patch.json.pending[0].correctionId}/confirm`,
      {
        sub: 'g11',
        token: password,
        body: { code },
      },
    );
    expect(replay.status).toBe(404);
  });

  it('has no baby routes: the catalogue declares no baby items', async () => {
    await call(stack, 'POST', '/v1/members', {
      sub: 'nobaby',
      token: asLogin('nobaby-id'),
      body: join('nobaby-id', 'nobaby@example.com'),
    });
    const res = await call(stack, 'POST', '/v1/me/babies', {
      sub: 'nobaby',
      token: password,
      body: { items: {} },
    });
    expect(res.status).toBe(404);
  });

  it('G7 G8 G12: withdrawal destroys everything and the sign-in account, keeps nothing but the receipt, and shreds the key', async () => {
    const { sub } = await stack.account('g7-marker-id', password);
    const token = { ...password, username: 'g7-marker-id' };
    await call(stack, 'POST', '/v1/members', {
      sub,
      token,
      body: join('g7-marker-id', 'g7-marker@example.com'),
    });
    const res = await call(stack, 'DELETE', '/v1/me', { sub, token });
    expect(res.status).toBe(200);
    expect(res.json.receipt).toMatchObject({
      profile: 'lgcns',
      retained: [],
      dataKeyDestroyed: true,
      signInAccountDeleted: true,
      destroyed: { items: ['loginId', 'name', 'email'], babies: 0 },
    });
    // The pool's username is the login ID: the account goes with the membership.
    expect(await localAccountExists(stack.endpoint, stack.stack.resources.userPoolId, sub)).toBe(false);
    const tables = await scanTables(stack);
    expect(JSON.stringify(tables)).not.toMatch(/g7-marker/);
    const owners = [...tables.members, ...tables.keys].map((i) => JSON.stringify([i.pk, i.memberId]));
    expect(owners.filter((o) => o.includes(`"M#${sub}"`) || o.includes(`{"S":"${sub}"}`))).toEqual([]);
    expect((await scanTable(stack, 'vault')).filter((i) => i.pk === `V#${sub}`).map((i) => i.sk)).toEqual([
      'RECEIPT',
    ]);

    // The ID is free again once its owner is gone.
    const rejoin = await call(stack, 'POST', '/v1/members', {
      sub: 'g7-new',
      token: asLogin('g7-marker-id'),
      body: join('g7-marker-id', 'x@example.com'),
    });
    expect(rejoin.status).toBe(201);
  });
});
