/**
 * Member rights end to end for the littleone profile (Google and Apple sign-in, babies):
 * HTTP to the local front, handlers against moto, tables read back from moto.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAccountExists } from '../../local/accounts';
import { clientConfig, physicalNames } from '../../local/bootstrap';
import { expectProblem, startTestStack, type TestStack } from './harness';
import { call, latestCode, mailsTo, scanTable, scanTables } from './member-api';

const google = { method: 'google' as const };
const apple = { method: 'apple' as const };
const allConsents = {
  membership: true,
  'service-delivery': true,
  'abuse-prevention': true,
  statistics: true,
  'new-service-development': true,
  'profile-photos': true,
};
const requiredOnly = { membership: true, 'service-delivery': true, 'abuse-prevention': true };

function googleJoin(name: string, extra: Record<string, unknown> = {}) {
  return {
    items: { userName: name, relationshipToBaby: 'mom', ...extra },
    consents: requiredOnly,
    ageAffirmation: true,
    policyVersion: '1.0',
  };
}

/** An Apple token whose federated identity carries `number`, the Apple member number (L2). */
function appleAs(number: string) {
  return { method: 'apple' as const, username: `signinwithapple_${number}` };
}

function appleJoin(name: string, email: string, number: string) {
  return {
    items: { userName: name, appleMemberNumber: number, email },
    consents: allConsents,
    ageAffirmation: true,
    policyVersion: '1.0',
  };
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack('littleone');
});
afterAll(async () => {
  await stack?.stop();
});

// A refused call is still a call: the access log records it (G3). "Stores nothing" is about the rest.
const totalItems = async () =>
  Object.entries(await scanTables(stack))
    .filter(([table]) => table !== 'accessLog')
    .reduce((n, [, items]) => n + items.length, 0);

describe('joining (littleone)', () => {
  it('L1: joins with optional purposes refused, and shows every decision back with version, time and channel', async () => {
    const res = await call(stack, 'POST', '/v1/members', {
      sub: 'l1-member',
      token: google,
      body: googleJoin('Kim L1'),
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ memberId: 'l1-member', policyVersion: '1.0' });
    expect(res.json.consents).toMatchObject({ membership: true, statistics: false, 'profile-photos': false });

    const consents = await call(stack, 'GET', '/v1/me/consents', { sub: 'l1-member', token: google });
    expect(consents.status).toBe(200);
    const statistics = consents.json.consents.find((c: { purpose: string }) => c.purpose === 'statistics');
    expect(statistics).toMatchObject({
      granted: false,
      required: false,
      policyVersion: '1.0',
      channel: 'app',
    });
    expect(statistics.history).toHaveLength(1);
    expect(Date.parse(statistics.at)).not.toBeNaN();
  });

  it('L1: refuses to join without a required purpose, naming it, and stores nothing', async () => {
    const before = await totalItems();
    const body = { ...googleJoin('Kim'), consents: { membership: true, 'abuse-prevention': true } };
    const res = await call(stack, 'POST', '/v1/members', { sub: 'no-consent', token: google, body });
    const problem = await expectProblem(
      new Response(res.text, { status: res.status, headers: res.headers }),
      422,
    );
    expect(problem.purpose).toBe('service-delivery');
    expect(await totalItems()).toBe(before);
  });

  it('L2: rejects unknown fields, naming them, and stores nothing', async () => {
    const before = await totalItems();
    const unknownItem = await call(stack, 'POST', '/v1/members', {
      sub: 'l2-unknown',
      token: google,
      body: googleJoin('Kim', { birthDate: '2001-01-01' }),
    });
    expect(unknownItem.status).toBe(400);
    expect(unknownItem.json.errors).toContainEqual({ field: 'items.birthDate', problem: 'unknown field' });
    expect(unknownItem.text).not.toContain('2001-01-01');

    const massAssignment = await call(stack, 'POST', '/v1/members', {
      sub: 'l2-unknown',
      token: google,
      body: { ...googleJoin('Kim'), status: 'suspended', memberId: 'someone-else' },
    });
    expect(massAssignment.status).toBe(400);
    expect(await totalItems()).toBe(before);
  });

  it('L2: asks each sign-in method for its own required items only', async () => {
    const noRelationship = await call(stack, 'POST', '/v1/members', {
      sub: 'l2-google',
      token: google,
      body: { ...googleJoin('Kim'), items: { userName: 'Kim' } },
    });
    expect(noRelationship.status).toBe(400);
    expect(noRelationship.json.errors).toContainEqual({
      field: 'items.relationshipToBaby',
      problem: 'required for google sign-in',
    });

    const appleNumberFromGoogle = await call(stack, 'POST', '/v1/members', {
      sub: 'l2-google',
      token: google,
      body: googleJoin('Kim', { appleMemberNumber: '000123.abc' }),
    });
    expect(appleNumberFromGoogle.json.errors).toContainEqual({
      field: 'items.appleMemberNumber',
      problem: 'not collected for google sign-in',
    });

    const appleWithoutEmail = await call(stack, 'POST', '/v1/members', {
      sub: 'l2-apple',
      token: apple,
      body: {
        ...appleJoin('Lee', 'x@example.com', '000999.x'),
        items: { userName: 'Lee', appleMemberNumber: '1' },
      },
    });
    expect(appleWithoutEmail.json.errors).toContainEqual({
      field: 'items.email',
      problem: 'required for apple sign-in',
    });
  });

  it('L11: refuses a member who does not affirm being 14 or older, and stores nothing', async () => {
    const before = await totalItems();
    for (const ageAffirmation of [false, undefined]) {
      const res = await call(stack, 'POST', '/v1/members', {
        sub: 'l11-child',
        token: google,
        body: { ...googleJoin('Child'), ageAffirmation },
      });
      expect(res.status).toBe(403);
      expect(res.json.detail).toMatch(/14 or older/);
    }
    expect(await totalItems()).toBe(before);
  });

  it('L3: refuses a join made against another policy version than the one in force', async () => {
    const res = await call(stack, 'POST', '/v1/members', {
      sub: 'l3-member',
      token: google,
      body: { ...googleJoin('Kim'), policyVersion: '0.9' },
    });
    expect(res.status).toBe(409);
    expect(res.json.title).toBe('Outdated policy');
  });

  it('answers 409 to a second join, and one Idempotency-Key replays the first answer', async () => {
    const headers = { 'idempotency-key': 'join-once' };
    const first = await call(stack, 'POST', '/v1/members', {
      sub: 'idem',
      token: google,
      body: googleJoin('Kim'),
      headers,
    });
    const replay = await call(stack, 'POST', '/v1/members', {
      sub: 'idem',
      token: google,
      body: googleJoin('Kim'),
      headers,
    });
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.json).toEqual(first.json);

    const reused = await call(stack, 'POST', '/v1/members', {
      sub: 'idem',
      token: google,
      body: googleJoin('Park'),
      headers,
    });
    expect(reused.status).toBe(422);
    const again = await call(stack, 'POST', '/v1/members', {
      sub: 'idem',
      token: google,
      body: googleJoin('Kim'),
    });
    expect(again.status).toBe(409);
    const idempotency = await scanTable(stack, 'idempotency');
    expect(JSON.stringify(idempotency)).not.toContain('Kim');
  });

  it("scopes an Idempotency-Key to its caller, and takes an empty one for none: no one replays another's answer", async () => {
    const join = (sub: string, key: string) =>
      call(stack, 'POST', '/v1/members', {
        sub,
        token: google,
        body: googleJoin('Lee'),
        headers: { 'idempotency-key': key },
      });
    const [a, b] = [await join('idem-a', 'same-key'), await join('idem-b', 'same-key')];
    const [c, d] = [await join('idem-c', ''), await join('idem-d', '')];
    for (const res of [a, b, c, d]) expect(res.status).toBe(201);
    expect(new Set([a, b, c, d].map((r) => r.json.memberId)).size).toBe(4);
  });

  it('L13: stores no plaintext of any personal value in any table', async () => {
    const res = await call(stack, 'POST', '/v1/members', {
      sub: 'l13-apple',
      token: appleAs('MARKER-APPLE-Q7'),
      body: appleJoin('MarkerNameQ7', 'marker-q7@example.com', 'MARKER-APPLE-Q7'),
    });
    expect(res.status).toBe(201);
    const baby = await call(stack, 'POST', '/v1/me/babies', {
      sub: 'l13-apple',
      token: apple,
      body: { items: { babyNickname: 'MarkerBabyQ7', babyGender: 'female' } },
    });
    expect(baby.status).toBe(201);

    const everything = JSON.stringify(await scanTables(stack));
    for (const marker of ['MarkerNameQ7', 'marker-q7', 'MARKER-APPLE-Q7', 'MarkerBabyQ7']) {
      expect(everything).not.toContain(marker);
    }
    const view = await call(stack, 'GET', '/v1/me', { sub: 'l13-apple', token: apple });
    expect(view.json.items.map((i: { value: string }) => i.value)).toEqual(
      expect.arrayContaining(['MarkerNameQ7', 'marker-q7@example.com', 'MARKER-APPLE-Q7']),
    );
  });

  it('L13: a ciphertext copied onto another member does not decrypt there', async () => {
    await call(stack, 'POST', '/v1/members', { sub: 'copy-a', token: google, body: googleJoin('SecretOfA') });
    await call(stack, 'POST', '/v1/members', { sub: 'copy-b', token: google, body: googleJoin('Bee') });
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(stack.endpoint)));
    const TableName = physicalNames.table('littleone', 'members');
    const a = await doc.send(new GetCommand({ TableName, Key: { pk: 'M#copy-a', sk: 'PROFILE' } }));
    await doc.send(
      new UpdateCommand({
        TableName,
        Key: { pk: 'M#copy-b', sk: 'PROFILE' },
        UpdateExpression: 'SET #items.#name = :stolen',
        ExpressionAttributeNames: { '#items': 'items', '#name': 'userName' },
        ExpressionAttributeValues: { ':stolen': a.Item?.items.userName },
      }),
    );
    const res = await call(stack, 'GET', '/v1/me', { sub: 'copy-b', token: google });
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(res.text).not.toContain('SecretOfA');
    expect(res.json).toEqual({
      type: 'urn:privacy-rights:problem:internal-error',
      title: 'Internal error',
      status: 500,
    });
  });
});

describe('viewing and correcting (littleone)', () => {
  it("L14: member A's token never reaches member B's data", async () => {
    await call(stack, 'POST', '/v1/members', { sub: 'iso-a', token: google, body: googleJoin('Alpha') });
    await call(stack, 'POST', '/v1/members', {
      sub: 'iso-b',
      token: google,
      body: googleJoin('BravoMarker'),
    });
    const babyOfB = await call(stack, 'POST', '/v1/me/babies', {
      sub: 'iso-b',
      token: google,
      body: { items: { babyNickname: 'BravoBaby', babyGender: 'male' } },
    });

    for (const path of ['/v1/me', '/v1/me/export', '/v1/me/consents']) {
      const res = await call(stack, 'GET', path, { sub: 'iso-a', token: google });
      expect(res.status).toBe(200);
      expect(res.text).not.toMatch(/Bravo|iso-b/);
    }
    const patch = await call(stack, 'PATCH', `/v1/me/babies/${babyOfB.json.babyId}`, {
      sub: 'iso-a',
      token: google,
      body: { items: { babyNickname: 'Hijacked' } },
    });
    expect(patch.status).toBe(404);
    const remove = await call(stack, 'DELETE', `/v1/me/babies/${babyOfB.json.babyId}`, {
      sub: 'iso-a',
      token: google,
    });
    expect(remove.status).toBe(404);
    const view = await call(stack, 'GET', '/v1/me', { sub: 'iso-b', token: google });
    expect(view.json.babies[0].items.map((i: { value: string }) => i.value)).toContain('BravoBaby');
  });

  it('L14: labels every item with its purposes and retention, and records the last sign-in', async () => {
    await call(stack, 'POST', '/v1/members', { sub: 'view-1', token: google, body: googleJoin('Viewer') });
    const res = await call(stack, 'GET', '/v1/me', { sub: 'view-1', token: google });
    expect(res.status).toBe(200);
    const name = res.json.items.find((i: { id: string }) => i.id === 'userName');
    expect(name).toMatchObject({
      label: { ko: '사용자 이름', en: 'User name' },
      value: 'Viewer',
      state: 'held',
      retention: { class: 'member-data', period: 'until-withdrawal' },
    });
    expect(name.purposes.map((p: { id: string }) => p.id)).toEqual(['membership', 'service-delivery']);
    expect(res.json.retention.map((r: { class: string }) => r.class)).toContain('payment-records');
    expect(Date.parse(res.json.lastSignInAt)).not.toBeNaN();
    expect(res.json.provisions).toEqual([]);
  });

  it('L14: corrects an item directly and refuses non-correctable ones', async () => {
    await call(stack, 'POST', '/v1/members', {
      sub: 'fix-1',
      token: appleAs('APPLE-FIX-1'),
      body: appleJoin('Before', 'fix-1@example.com', 'APPLE-FIX-1'),
    });
    const ok = await call(stack, 'PATCH', '/v1/me', {
      sub: 'fix-1',
      token: apple,
      body: { items: { userName: 'After' } },
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ corrected: ['userName'], removed: [], pending: [] });
    expect(ok.text).not.toContain('After');

    const locked = await call(stack, 'PATCH', '/v1/me', {
      sub: 'fix-1',
      token: apple,
      body: { items: { appleMemberNumber: 'APPLE-OTHER' } },
    });
    expect(locked.status).toBe(400);
    expect(locked.json.errors).toContainEqual({
      field: 'items.appleMemberNumber',
      problem: 'not correctable',
    });
    const status = await call(stack, 'PATCH', '/v1/me', {
      sub: 'fix-1',
      token: apple,
      body: { status: 'active' },
    });
    expect(status.status).toBe(400);
    const view = await call(stack, 'GET', '/v1/me', { sub: 'fix-1', token: apple });
    expect(view.json.items.find((i: { id: string }) => i.id === 'userName').value).toBe('After');
  });

  it('L15: freezes an email under correction until the emailed code confirms it', async () => {
    await call(stack, 'POST', '/v1/members', {
      sub: 'l15',
      token: appleAs('APPLE-L15'),
      body: appleJoin('Correcting', 'old-l15@example.com', 'APPLE-L15'),
    });
    const patch = await call(stack, 'PATCH', '/v1/me', {
      sub: 'l15',
      token: apple,
      body: { items: { email: 'new-l15@example.com' } },
    });
    expect(patch.status).toBe(200);
    expect(patch.json.pending).toHaveLength(1);
    const { correctionId } = patch.json.pending[0];

    const frozen = await call(stack, 'GET', '/v1/me', { sub: 'l15', token: apple });
    expect(frozen.json.items.find((i: { id: string }) => i.id === 'email')).toMatchObject({
      value: 'old-l15@example.com',
      state: 'under-correction',
    });
    expect(frozen.json.pendingCorrections).toHaveLength(1);

    const twice = await call(stack, 'PATCH', '/v1/me', {
      sub: 'l15',
      token: apple,
      body: { items: { email: 'other-l15@example.com' } },
    });
    expect(twice.status).toBe(409);
    // A frozen address is not used for notices: lifting a restriction tells the member in the response only.
    await call(stack, 'PUT', '/v1/me/restriction', {
      sub: 'l15',
      token: apple,
      body: { scope: 'all', reason: 'r' },
    });
    const lifted = await call(stack, 'DELETE', '/v1/me/restriction', { sub: 'l15', token: apple });
    expect(lifted.json).toEqual({ lifted: true, noticeSent: false });
    expect(await mailsTo(stack, 'old-l15@example.com')).toHaveLength(0);

    const wrong = await call(stack, 'POST', `/v1/me/corrections/${correctionId}/confirm`, {
      sub: 'l15',
      token: apple,
      body: { code: '000000' === (await latestCode(stack, 'new-l15@example.com')) ? '111111' : '000000' },
    });
    expect(wrong.status).toBe(422);
    const code = await latestCode(stack, 'new-l15@example.com');
    const confirm = await call(stack, 'POST', `/v1/me/corrections/${correctionId}/confirm`, {
      sub: 'l15',
      token: apple,
      body: { code },
    });
    expect(confirm.status).toBe(200);
    const after = await call(stack, 'GET', '/v1/me', { sub: 'l15', token: apple });
    expect(after.json.items.find((i: { id: string }) => i.id === 'email')).toMatchObject({
      value: 'new-l15@example.com',
      state: 'held',
    });

    const takenAddress = await call(stack, 'POST', '/v1/members', {
      sub: 'l15-other',
      token: appleAs('APPLE-L15-OTHER'),
      body: appleJoin('Other', 'NEW-l15@example.com', 'APPLE-L15-OTHER'),
    });
    expect(takenAddress.status).toBe(409);
    const freedAddress = await call(stack, 'POST', '/v1/members', {
      sub: 'l15-other',
      token: appleAs('APPLE-L15-OTHER'),
      body: appleJoin('Other', 'old-l15@example.com', 'APPLE-L15-OTHER'),
    });
    expect(freedAddress.status).toBe(201);
  });
});

describe('babies and consents (littleone)', () => {
  it('L2: registers, corrects and deletes a baby with nickname and gender', async () => {
    await call(stack, 'POST', '/v1/members', { sub: 'baby-1', token: google, body: googleJoin('Parent') });
    const add = await call(stack, 'POST', '/v1/me/babies', {
      sub: 'baby-1',
      token: google,
      body: { items: { babyNickname: 'Dubu', babyGender: 'female' } },
    });
    expect(add.status).toBe(201);
    const missing = await call(stack, 'POST', '/v1/me/babies', {
      sub: 'baby-1',
      token: google,
      body: { items: { babyNickname: 'NoGender' } },
    });
    expect(missing.status).toBe(400);
    const fix = await call(stack, 'PATCH', `/v1/me/babies/${add.json.babyId}`, {
      sub: 'baby-1',
      token: google,
      body: { items: { babyNickname: 'Dubu2' } },
    });
    expect(fix.status).toBe(200);
    const view = await call(stack, 'GET', '/v1/me', { sub: 'baby-1', token: google });
    expect(view.json.babies[0].items.map((i: { value: string }) => i.value)).toEqual(['Dubu2', 'female']);
    const del = await call(stack, 'DELETE', `/v1/me/babies/${add.json.babyId}`, {
      sub: 'baby-1',
      token: google,
    });
    expect(del.status).toBe(204);
    expect((await call(stack, 'GET', '/v1/me', { sub: 'baby-1', token: google })).json.babies).toEqual([]);
  });

  it('L1: refuses to withdraw a required purpose short of withdrawing the membership', async () => {
    await call(stack, 'POST', '/v1/members', { sub: 'req', token: google, body: googleJoin('Req') });
    const res = await call(stack, 'PUT', '/v1/me/consents/membership', {
      sub: 'req',
      token: google,
      body: { granted: false },
    });
    expect(res.status).toBe(409);
    const unknown = await call(stack, 'PUT', '/v1/me/consents/marketing', {
      sub: 'req',
      token: google,
      body: { granted: true },
    });
    expect(unknown.status).toBe(404);
  });
});

describe('export and restriction (littleone)', () => {
  it('L16: exports everything as a versioned JSON download', async () => {
    await call(stack, 'POST', '/v1/members', { sub: 'exp', token: google, body: googleJoin('Exporter') });
    const res = await call(stack, 'GET', '/v1/me/export', { sub: 'exp', token: google });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="personal-data-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(res.json).toMatchObject({
      schemaVersion: '1.0',
      controller: { name: { ko: '주식회사 리틀원', en: 'Littleone Inc.' } },
    });
    expect(res.json.member.items.map((i: { value: string }) => i.value)).toContain('Exporter');
  });

  it('L16: restricts processing, and tells the member by email before lifting it', async () => {
    await call(stack, 'POST', '/v1/members', {
      sub: 'restrict',
      token: appleAs('APPLE-RES'),
      body: appleJoin('Res', 'restrict@example.com', 'APPLE-RES'),
    });
    const put = await call(stack, 'PUT', '/v1/me/restriction', {
      sub: 'restrict',
      token: apple,
      body: { scope: 'all', reason: 'Disputing accuracy' },
    });
    expect(put.status).toBe(200);
    const view = await call(stack, 'GET', '/v1/me', { sub: 'restrict', token: apple });
    expect(view.json.restriction).toMatchObject({ scope: 'all', reason: 'Disputing accuracy' });
    expect(JSON.stringify(await scanTables(stack))).not.toContain('Disputing accuracy');

    const lift = await call(stack, 'DELETE', '/v1/me/restriction', { sub: 'restrict', token: apple });
    expect(lift.json).toEqual({ lifted: true, noticeSent: true });
    const mails = await mailsTo(stack, 'restrict@example.com');
    // Korean: the member joined with no Accept-Language.
    expect(mails.map((m) => m.subject)).toContain('[리틀원] 개인정보 처리정지가 해제됩니다');
    expect(
      (await call(stack, 'GET', '/v1/me', { sub: 'restrict', token: apple })).json.restriction,
    ).toBeNull();
  });
});

describe('withdrawal (littleone)', () => {
  it('L7 L8 L9 L10: keeps what the law requires in the vault, destroys the rest, the key and the sign-in account, and signs a receipt', async () => {
    // Cognito names a federated account after the provider's user id.
    const username = 'signinwithapple_000777.leaver';
    const { sub: leaver } = await stack.account(username, apple);
    const token = { ...apple, username };
    await call(stack, 'POST', '/v1/members', {
      sub: leaver,
      token,
      body: appleJoin('LeaverMarker', 'leaver-marker@example.com', '000777.leaver'),
    });
    await call(stack, 'POST', '/v1/me/babies', {
      sub: leaver,
      token,
      body: { items: { babyNickname: 'LeaverBaby', babyGender: 'male' } },
    });
    const before = Date.now();
    const res = await call(stack, 'DELETE', '/v1/me', { sub: leaver, token });
    expect(res.status).toBe(200);
    const { receipt, signature } = res.json;
    expect(res.text).not.toMatch(/LeaverMarker|leaver-marker|000777.leaver|LeaverBaby/);
    expect(receipt.destroyed).toEqual({
      items: ['userName', 'appleMemberNumber'],
      babies: 1,
      consentRecords: 6,
    });
    expect(receipt.retained.map((r: { class: string }) => r.class)).toEqual([
      'withdrawn-email',
      'contract-records',
    ]);

    const withdrawnAt = new Date(receipt.withdrawnAt);
    const years = (n: number) => {
      const d = new Date(withdrawnAt);
      d.setUTCFullYear(d.getUTCFullYear() + n);
      return d.toISOString();
    };
    expect(receipt.retained[0]).toMatchObject({ until: years(1) });
    expect(receipt.retained[1]).toMatchObject({
      until: years(5),
      law: {
        ko: '전자상거래 등에서의 소비자보호에 관한 법률',
        en: 'Act on Consumer Protection in Electronic Commerce, etc.',
      },
    });
    expect(Date.parse(receipt.residualCopiesUnreadableBy) - before).toBeGreaterThan(6 * 86_400_000);
    expect(receipt.signInAccountDeleted).toBe(true);
    expect(await localAccountExists(stack.endpoint, stack.stack.resources.userPoolId, leaver)).toBe(false);

    const tables = await scanTables(stack);
    const owners = [...tables.members, ...tables.keys].map((i) => JSON.stringify([i.pk, i.memberId]));
    expect(owners.filter((o) => o.includes(`"M#${leaver}"`) || o.includes(`{"S":"${leaver}"}`))).toEqual([]);
    expect(JSON.stringify(tables)).not.toMatch(/LeaverMarker|leaver-marker|000777.leaver|LeaverBaby/);
    const vault = (await scanTable(stack, 'vault')).filter((i) => i.pk === `V#${leaver}`);
    expect(vault.map((v) => v.sk).sort()).toEqual([
      'RECEIPT',
      'contract-records#withdrawal',
      'withdrawn-email#withdrawal',
    ]);
    const email = vault.find((v) => v.sk === 'withdrawn-email#withdrawal');
    expect(email?.expiresAt).toBe(Math.floor(Date.parse(years(1)) / 1000));

    const verified = await call(stack, 'POST', '/v1/receipts/verify', { body: res.json });
    expect(verified.json).toEqual({ valid: true });
    const forged = await call(stack, 'POST', '/v1/receipts/verify', {
      body: { receipt: { ...receipt, retained: [] }, signature },
    });
    expect(forged.json).toEqual({ valid: false });

    const repeat = await call(stack, 'DELETE', '/v1/me', { sub: leaver, token });
    expect(repeat.status).toBe(200);
    expect(repeat.json.receipt.receiptId).toBe(receipt.receiptId);
    expect((await call(stack, 'GET', '/v1/me', { sub: leaver, token })).status).toBe(404);
  });

  it('L9: a withdrawn Google member without an email leaves only the contract record and the receipt', async () => {
    await call(stack, 'POST', '/v1/members', { sub: 'leaver-g', token: google, body: googleJoin('NoMail') });
    const res = await call(stack, 'DELETE', '/v1/me', { sub: 'leaver-g', token: google });
    expect(res.json.receipt.retained.map((r: { class: string }) => r.class)).toEqual(['contract-records']);
  });
});
