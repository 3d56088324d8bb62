/**
 * The JSON bodies of successful responses, as the OpenAPI document declares them. Each names the
 * fields a client relies on, with their types and an example; objects stay open so a new field is
 * not a break. Handlers return through them (lambdas/http/route.ts types each body from its
 * route's schema) and test/support/contract.ts checks every response of the integration suites.
 */

import * as z from 'zod/mini';
import { LANGUAGES } from '../../policy/i18n';

/** Example values, shared so that the examples of one response agree with each other. */
const EXAMPLE = {
  at: '2026-11-30T09:00:00.000Z',
  memberId: 'b7f3c1e2-5a4d-4e8f-9c21-6d0a7b3e9f14',
  requestId: 'req-01JDZ8T6M4Q2X9V7K3N5P8R1C6',
  version: '2026-09-01',
} as const;

const text = (example: string) => z.string().check(z.meta({ examples: [example] }));
const instant = (example: string = EXAMPLE.at) =>
  z.string().check(z.minLength(1), z.meta({ examples: [example] }));
/** A text a person reads, in Korean and English (policy/i18n.ts). */
const words = (en: string, ko: string) =>
  z.strictObject({ ko: z.string(), en: z.string() }).check(z.meta({ examples: [{ ko, en }] }));
const flag = (example: boolean) => z.boolean().check(z.meta({ examples: [example] }));
const count = (example: number) => z.int().check(z.meta({ examples: [example] }));
const strings = (example: string[]) => z.array(z.string()).check(z.meta({ examples: [example] }));
const memberId = () => text(EXAMPLE.memberId);
const policyVersion = () => text(EXAMPLE.version);
/** How a decision reached the service: the app, or an officer acting on a phone call or letter. */
const channel = () => text('app');
/** A retention period: an ISO 8601 duration, or `until-withdrawal`. */
const period = () => text('P3Y');

const retentionClass = () =>
  z.looseObject({
    class: text('contract-records'),
    label: words('Records of contracts and withdrawals of subscription', '계약 또는 청약철회 등에 관한 기록'),
    period: period(),
    law: z.optional(
      words(
        'Act on the Consumer Protection in Electronic Commerce, Art. 6',
        '전자상거래 등에서의 소비자보호에 관한 법률 제6조',
      ),
    ),
  });

/** One item as the member reads it; `example` names an item of the view it stands in. */
const itemView = (example: { id: string; label: string; ko: string; value: string } = EMAIL_ITEM) =>
  z.looseObject({
    id: text(example.id),
    label: words(example.label, example.ko),
    value: text(example.value),
    state: z.enum(['held', 'under-correction']),
    purposes: z.array(
      z.looseObject({
        id: text('membership'),
        label: words('Member management', '회원 관리'),
        legalBasis: text('contract'),
      }),
    ),
    retention: z.looseObject({
      class: text('membership'),
      label: words('Until withdrawal', '탈퇴 시까지'),
      period: text('until-withdrawal'),
    }),
  });

const EMAIL_ITEM = { id: 'email', label: 'Email address', ko: '이메일 주소', value: 'member@example.com' };
const BABY_ITEM = { id: 'babyNickname', label: "Baby's nickname", ko: '아기 애칭', value: 'Dubu' };

const decision = () =>
  z.looseObject({ granted: flag(true), at: instant(), policyVersion: policyVersion(), channel: channel() });

const consentView = () =>
  z.looseObject({
    purpose: text('marketing'),
    label: words('Event and advertising information', '이벤트·광고 정보'),
    required: flag(false),
    legalBasis: text('consent'),
    granted: flag(true),
    at: instant(),
    policyVersion: policyVersion(),
    channel: channel(),
    history: z.array(z.looseObject({ ...decision().shape, event: text('decided') })),
  });

/** A recipient the policy names, as a consent to it describes it (L5/G6). */
const recipientFields = () => ({
  recipient: text('delivery-partner'),
  name: words('Example Logistics Co., Ltd.', '예시물류 주식회사'),
  purposes: strings(['delivery']),
  items: strings(['name', 'phone']),
});

/** The member's decision on one recipient the policy names (L5/G6). */
const recipientConsentView = () =>
  z.looseObject({
    ...recipientFields(),
    granted: flag(false),
    at: z.optional(instant()),
    policyVersion: z.optional(policyVersion()),
    channel: z.optional(channel()),
    history: z.array(decision()),
  });

const provision = () =>
  z.looseObject({
    provisionId: text('prov-3f9a2c'),
    recipient: text('delivery-partner'),
    items: strings(['name', 'phone']),
    purpose: text('delivery'),
    basis: text('consent'),
    legalReference: z.optional(text('Framework Act on National Taxes, Art. 85-4')),
    recipientContact: z.optional(text('privacy@partner.example')),
    at: instant(),
  });

/** What the member view holds: the body of GET /v1/me, the officer's view and the export's `member`. */
const memberView = () =>
  z.looseObject({
    memberId: memberId(),
    status: z.enum(['active', 'suspended', 'withdrawing']),
    signInMethod: text('google'),
    /** The language the member reads the product in (emails, pages): recorded at join, changed by PATCH /v1/me. */
    lang: z.enum(LANGUAGES),
    joinedAt: instant(),
    lastSignInAt: instant(),
    policyVersion: policyVersion(),
    inactivityDestructionAt: z.optional(instant('2027-11-30T09:00:00.000Z')),
    items: z.array(itemView()),
    babies: z.array(
      z.looseObject({ babyId: text('baby-5d1e'), createdAt: instant(), items: z.array(itemView(BABY_ITEM)) }),
    ),
    consents: z.array(consentView()),
    recipientConsents: z.array(recipientConsentView()),
    ageAffirmation: z.looseObject({
      affirmed: flag(true),
      minimumAge: count(14),
      at: instant(),
      policyVersion: policyVersion(),
    }),
    restriction: z.nullable(
      z.looseObject({ scope: text('marketing'), reason: text('I object to profiling'), since: instant() }),
    ),
    pendingCorrections: z.array(
      z.looseObject({
        correctionId: text('corr-8c2b'),
        item: text('email'),
        requestedAt: instant(),
        expiresAt: instant('2026-11-30T09:30:00.000Z'),
      }),
    ),
    provisions: z.array(provision()),
    /** Each recipient told of a correction, the restriction or an erasure (GDPR Art. 19). */
    recipientNotices: z.array(
      z.looseObject({
        change: z.enum(['correction', 'erasure', 'restriction']),
        recipient: text('delivery-partner'),
        recipientContact: text('privacy@partner.example'),
        provisionIds: strings(['prov-3f9a2c']),
        status: z.enum(['pending', 'sent']),
        at: instant(),
      }),
    ),
    records: z.array(
      z.looseObject({
        recordId: text('rec-71aa'),
        item: text('purchases'),
        label: words('Purchase history', '구매 내역'),
        createdAt: instant(),
        content: z.unknown().check(z.meta({ examples: [{ product: 'premium-monthly', amount: 4900 }] })),
        retention: retentionClass(),
      }),
    ),
    retention: z.array(retentionClass()),
    accessHistory: z.looseObject({
      retention: retentionClass(),
      entries: z.array(
        z.looseObject({
          at: instant(),
          route: z.optional(text('GET /v1/me')),
          ipAddress: z.optional(text('203.0.113.7')),
          until: instant('2027-11-30T09:00:00.000Z'),
        }),
      ),
      truncated: flag(false),
    }),
  });

/** POST /v1/members. */
export const joinedResponse = () =>
  z.looseObject({
    memberId: memberId(),
    joinedAt: instant(),
    policyVersion: policyVersion(),
    consents: z
      .record(z.string(), z.boolean())
      .check(z.meta({ examples: [{ account: true, marketing: false }] })),
    /** While a policy change is announced: the version the member is also shown (L18). */
    upcomingPolicy: z.optional(
      z.looseObject({
        version: text('2027-01-01'),
        effectiveDate: text('2027-01-01'),
        summary: z.optional(text('New recipient')),
      }),
    ),
  });

/** GET /v1/me and GET /v1/admin/members/{memberId}. */
export const memberViewResponse = () =>
  z.looseObject({
    ...memberView().shape,
    /** GET /v1/me, profiles with photo items: each photo held (L14); the image through its route. */
    photos: z.optional(z.array(photoView())),
  });

/** PATCH /v1/me. */
export const correctionResponse = () =>
  z.looseObject({
    corrected: strings(['nickname']),
    removed: strings([]),
    pending: z.array(
      z.looseObject({
        correctionId: text('corr-8c2b'),
        item: text('email'),
        expiresAt: instant('2026-11-30T09:30:00.000Z'),
      }),
    ),
  });

/** POST /v1/me/corrections/{correctionId}/confirm. */
export const confirmedResponse = () => z.looseObject({ item: text('email'), completedAt: instant() });

/** POST /v1/me/babies. */
export const babyResponse = () => z.looseObject({ babyId: text('baby-5d1e') });

/** PATCH /v1/me/babies/{babyId}. */
export const babyCorrectionResponse = () =>
  z.looseObject({ corrected: strings(['babyName']), removed: strings([]) });

/** POST /v1/me/purchases. */
export const purchaseResponse = () =>
  z.looseObject({
    recordId: text('rec-71aa'),
    createdAt: instant(),
    retention: z.looseObject({
      ...retentionClass().shape,
      startsAt: text('creation'),
      until: z.optional(instant('2031-11-30T09:00:00.000Z')),
    }),
  });

/** A photo held of the member or a baby: what it is, never the image itself. */
const photoView = () =>
  z.looseObject({
    item: text('userProfilePhoto'),
    babyId: z.optional(text('baby-5d1e')),
    mediaType: text('image/jpeg'),
    bytes: count(48213),
    uploadedAt: instant(),
  });

/** A presigned request: sent as is (method, URL, every header listed) before `expiresAt`. */
const photoLink = () =>
  z.looseObject({
    method: text('PUT'),
    url: text(
      'https://photos-bucket.s3.ap-northeast-2.amazonaws.com/photos/b7f3c1e2/member/userProfilePhoto?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=4f1c',
    ),
    headers: z
      .record(z.string(), z.string())
      .check(z.meta({ examples: [{ 'content-type': 'image/jpeg', 'content-length': '48213' }] })),
    expiresAt: instant('2026-11-30T09:05:00.000Z'),
  });

/** POST /v1/me/photo and /v1/me/babies/{babyId}/photo: where to PUT the image. */
export const photoUploadResponse = () =>
  z.looseObject({ item: text('userProfilePhoto'), upload: photoLink() });

/** GET /v1/me/photo and /v1/me/babies/{babyId}/photo: the photo's metadata and where to GET it. */
export const photoDownloadResponse = () =>
  z.looseObject({
    ...photoView().shape,
    download: z.looseObject({
      ...photoLink().shape,
      method: text('GET'),
      headers: z.record(z.string(), z.string()),
    }),
  });

/** GET /v1/me/export: the member view with who controls it, as a download (L16). */
export const exportResponse = () =>
  z.looseObject({
    schemaVersion: text('1'),
    generatedAt: instant(),
    controller: z.looseObject({
      name: words('Example Operator Co., Ltd.', '예시운영 주식회사'),
      service: words('Example service', '예시 서비스'),
      policyVersion: policyVersion(),
    }),
    member: memberView(),
    /** What the operator's table and bucket silos hold of the member, by silo. */
    silos: z.record(
      z.string(),
      z.looseObject({
        kind: z.enum(['dynamodb', 's3']),
        label: words('App usage history (operator table)', '앱 이용 기록 (운영사 테이블)'),
        items: strings(['serviceUsageHistory']),
        records: z.optional(z.array(z.record(z.string(), z.unknown()))),
        objects: z.optional(
          z.array(
            z.looseObject({
              key: text('2026/11/30.json'),
              size: count(120),
              lastModified: z.optional(instant()),
              content: text('eyJldmVudCI6Im9wZW4ifQ=='),
            }),
          ),
        ),
      }),
    ),
    /** Silos the export does not include: the custom systems, which the operator asks. */
    missing: z.array(
      z.looseObject({
        silo: text('billing'),
        label: words('Store billing system', '스토어 결제 시스템'),
        reason: z.enum(['custom-system']),
      }),
    ),
    /** Each photo held (profiles with photo items): its metadata; the image through its route. */
    photos: z.optional(z.array(photoView())),
  });

/** GET /v1/me/consents. */
export const consentsResponse = () =>
  z.looseObject({
    consents: z.array(consentView()),
    /** The decision on each recipient the policy names (L5/G6); empty where it names none. */
    recipients: z.array(recipientConsentView()),
  });

/**
 * Each silo's part of a silo request, by silo id. `status`: `pending` (queued), `retrying` (a
 * step failed; `reason`, `attempts`), `awaiting` (a custom system was asked), `erased` (`count`),
 * `nothing-held`, `failed` (the custom system's `reason`), `kept` (a consent withdrawal's table or
 * bucket silo that still holds items a purpose justifies: not erased; `items` released there,
 * `kept` still needed). A consent withdrawal's `items` are the items the silo is asked to erase.
 */
const SILO_STATES = ['pending', 'retrying', 'awaiting', 'erased', 'nothing-held', 'failed', 'kept'] as const;
const SILO_STATES_DESCRIPTION =
  '`pending`: queued, no step ran yet. `retrying`: a step failed (`reason`, `attempts`); the queue retries it, then its dead-letter queue keeps it. `awaiting`: the custom system was asked and has not answered. `erased` (`count`), `nothing-held`: done. `failed`: the custom system could not erase (`reason`). `kept`: a consent withdrawal left a table or bucket silo untouched, as it still holds items a purpose justifies (`kept`); `items` names the released items there. The last four are final.';
const siloOutcomes = () =>
  z.record(
    z.string(),
    z.looseObject({
      kind: z.enum(['dynamodb', 's3', 'custom']),
      status: z.enum(SILO_STATES).check(z.meta({ description: SILO_STATES_DESCRIPTION })),
      since: instant(),
      at: instant(),
      count: z.optional(count(3)),
      reason: z.optional(text('DependencyFailed')),
      attempts: z.optional(count(1)),
      items: z.optional(strings(['serviceUsageHistory'])),
      kept: z.optional(strings(['email'])),
    }),
  );

/** PUT /v1/me/consents/{purpose}. */
export const consentResponse = () =>
  z.looseObject({
    purpose: text('marketing'),
    granted: flag(false),
    at: instant(),
    destroyed: strings(['marketingPhone']),
    /**
     * Present when the withdrawal released items the operator's silos hold: the silo request in
     * the ledger (`open` until every silo is final, then `completed`) and each silo's part.
     */
    silos: z.optional(
      z.looseObject({
        requestId: text('silos-consent-3f9a2c7d1b4e8f0a5c6d7e8f9a0b1c2d'),
        status: z.enum(['open', 'completed']).check(
          z.meta({
            description:
              '`open` while a silo has not reached a final state; `completed` once every silo has.',
          }),
        ),
        silos: siloOutcomes(),
      }),
    ),
  });

/** PUT /v1/me/provision-consents/{recipient}. */
export const provisionConsentResponse = () =>
  z.looseObject({ ...recipientFields(), granted: flag(true), at: instant() });

/** PUT /v1/me/restriction. */
export const restrictionResponse = () => z.looseObject({ scope: text('marketing'), since: instant() });

/** DELETE /v1/me/restriction. */
export const liftedResponse = () => z.looseObject({ lifted: z.literal(true), noticeSent: flag(true) });

/** DELETE /v1/me and POST /v1/admin/members/{memberId}/terminate: the signed deletion receipt. */
export const receiptResponse = () =>
  z.looseObject({
    receipt: z.looseObject({
      receiptId: text('rcpt-0c4f9e'),
      profile: text('lgcns'),
      operator: words('Example Operator Co., Ltd.', '예시운영 주식회사'),
      memberId: memberId(),
      withdrawnAt: instant(),
      destroyed: z.looseObject({
        items: strings(['email', 'phone']),
        babies: count(0),
        consentRecords: count(3),
      }),
      retained: z.array(
        z.looseObject({
          class: text('contract-records'),
          label: words(
            'Records of contracts and withdrawals of subscription',
            '계약 또는 청약철회 등에 관한 기록',
          ),
          law: z.optional(
            words(
              'Act on the Consumer Protection in Electronic Commerce, Art. 6',
              '전자상거래 등에서의 소비자보호에 관한 법률 제6조',
            ),
          ),
          use: words('Settling disputes about the contract', '계약에 관한 분쟁 해결'),
          until: instant('2031-11-30T09:00:00.000Z'),
          records: z.optional(count(2)),
        }),
      ),
      dataKeyDestroyed: flag(true),
      signInAccountDeleted: flag(true),
      residualCopiesUnreadableBy: instant('2026-12-07T09:00:00.000Z'),
      /** The recipients of the member's data, each told of the erasure (GDPR Art. 19). */
      recipientsTold: z.optional(
        z.array(
          z.looseObject({ recipient: text('delivery-partner'), contact: text('privacy@partner.example') }),
        ),
      ),
    }),
    signature: text('MEUCIQDx…'),
    algorithm: z.literal('ECDSA_SHA_256'),
  });

/** POST /v1/silo-requests/{requestId}/silos/{silo}/answer. */
export const siloAnswerResponse = () =>
  z.looseObject({
    requestId: text('silos-0c4f9e2a-7d1b-4e8f-9a3c-5b6d7e8f9a0b'),
    silo: text('billing'),
    taken: flag(true),
    complete: flag(true),
  });

/** POST /v1/receipts/verify. */
export const verificationResponse = () => z.looseObject({ valid: flag(true) });

/** One request of the ledger. */
const requestView = () =>
  z.looseObject({
    requestId: text(EXAMPLE.requestId),
    memberId: memberId(),
    type: text('access'),
    channel: text('phone'),
    jurisdiction: text('pipa'),
    receivedAt: instant(),
    deadline: text('2026-12-10'),
    status: z.enum(['awaiting-verification', 'open', 'acting', 'completed', 'refused']),
    handler: text('officer-1'),
    overdue: flag(false),
    /** A withdrawal's or a consent withdrawal's silo part: each silo's outcome and time (issue 15). */
    silos: z.optional(siloOutcomes()),
    /** The silos unanswered past their threshold. */
    laggingSilos: z.optional(strings(['crm'])),
  });

/** POST /v1/admin/requests, its verification and its extension. */
export const requestResponse = requestView;

/** GET /v1/admin/requests. */
export const requestsResponse = () => z.looseObject({ requests: z.array(requestView()) });

/** POST /v1/admin/requests/{requestId}/actions: `result` is what the action produced (a view, an export, a receipt…). */
export const actionResponse = () =>
  z.looseObject({
    requestId: text(EXAMPLE.requestId),
    status: text('completed'),
    result: z
      .unknown()
      .check(z.meta({ examples: [{ purpose: 'marketing', granted: false, at: EXAMPLE.at }] })),
  });

/** POST /v1/admin/members/{memberId}/suspend. */
export const suspendedResponse = () =>
  z.looseObject({ memberId: memberId(), status: z.literal('suspended'), since: instant() });

/** POST /v1/admin/members/{memberId}/reinstate. */
export const reinstatedResponse = () =>
  z.looseObject({ memberId: memberId(), status: z.literal('active'), at: instant() });

/** POST /v1/admin/provisions. */
export const provisionResponse = provision;

/** GET /v1/admin/provisions: a member's provisions and the correction notices each recipient was sent (L15/G11). */
export const provisionsResponse = () =>
  z.looseObject({
    provisions: z.array(provision()),
    correctionNotices: z.array(
      z.looseObject({
        correctionRef: text('corr-8c2b'),
        recipient: text('delivery-partner'),
        recipientContact: text('privacy@partner.example'),
        items: strings(['phone']),
        provisionIds: strings(['prov-3f9a2c']),
        status: z.enum(['pending', 'sent']),
        at: instant(),
        sentAt: z.optional(instant()),
      }),
    ),
  });

/** GET /v1/admin/access-records. */
export const accessRecordsResponse = () =>
  z.looseObject({
    records: z.array(
      z.looseObject({
        seq: count(42),
        at: instant(),
        officerId: text('officer-1'),
        action: text('get-admin-member'),
        memberId: z.optional(memberId()),
        requestId: z.optional(text(EXAMPLE.requestId)),
        reason: z.optional(text('phone request: identity checked')),
        sourceIp: text('203.0.113.7'),
      }),
    ),
    truncated: flag(false),
    /** With `verify=true`: what checking every link of the stored chain found, oldest first. */
    chain: z.optional(
      z.looseObject({
        intact: flag(true),
        records: count(42),
        firstSeq: z.optional(count(1)),
        lastSeq: z.optional(count(42)),
        brokenAt: z.optional(
          z.looseObject({
            seq: count(17),
            problem: z.enum(['hash mismatch', 'link mismatch', 'sequence gap']),
          }),
        ),
      }),
    ),
  });

/** A month's review of handler access records, as listed (Korean safety standard Art. 8). */
export const accessReviewSummaryResponse = () =>
  z.looseObject({
    month: text('2026-11'),
    status: z.enum(['open', 'signed-off']),
    assembledAt: instant('2026-11-30T17:00:00.000Z'),
    dueBy: text('2026-12-15'),
    overdue: flag(false),
    chain: z.looseObject({
      intact: flag(true),
      records: count(214),
      firstSeq: z.optional(count(1093)),
      lastSeq: z.optional(count(1306)),
      brokenAt: z.optional(
        z.looseObject({
          seq: count(1200),
          problem: z.enum(['hash mismatch', 'link mismatch', 'sequence gap']),
        }),
      ),
    }),
    records: count(212),
    officers: count(3),
    flags: z.looseObject({ downloads: count(4), outsideHours: count(7), unusualVolume: count(1) }),
    officerToldAt: z.optional(instant('2026-11-30T17:00:01.000Z')),
    signOff: z.optional(
      z.looseObject({
        by: text('officer-lee'),
        at: instant('2026-12-03T01:00:00.000Z'),
        note: text('Off-hours actions were the weekend incident; downloads match requests.'),
      }),
    ),
  });

/** GET /v1/admin/access-reviews. */
export const accessReviewsResponse = () =>
  z.looseObject({ reviews: z.array(accessReviewSummaryResponse()), overdue: count(0) });

/** GET /v1/admin/access-reviews/{month}: the review and each officer's evidence. */
export const accessReviewResponse = () =>
  z.looseObject({
    ...accessReviewSummaryResponse().shape,
    evidence: z.array(
      z.looseObject({
        officerId: text('officer-kim'),
        records: count(120),
        byAction: z.record(z.string(), z.number()).check(z.meta({ examples: [{ 'get-admin-member': 80 }] })),
        byMember: z.record(z.string(), z.number()).check(z.meta({ examples: [{ [EXAMPLE.memberId]: 3 }] })),
        members: count(41),
        totals: z.looseObject({ downloads: count(2), outsideHours: count(5) }),
        downloads: z.array(
          z.looseObject({
            seq: count(1101),
            at: instant(),
            memberId: z.optional(memberId()),
            requestId: z.optional(text(EXAMPLE.requestId)),
            reason: text('portability request by letter'),
          }),
        ),
        outsideHours: z.array(
          z.looseObject({
            seq: count(1150),
            at: instant(),
            action: text('get-admin-member'),
            memberId: z.optional(memberId()),
          }),
        ),
        baseline: z.number().check(z.meta({ examples: [35.33] })),
        unusualVolume: flag(true),
      }),
    ),
  });

const fanOut = () =>
  z.looseObject({ segments: count(16), segmentsDone: count(16), membersQueued: count(1200) });

/** A published policy version, as the officer reads it. */
const publishedFields = () => ({
  version: policyVersion(),
  effectiveDate: text('2026-09-08'),
  summary: text('A new recipient for delivery'),
  publishedAt: instant(),
  publishedBy: text('officer-1'),
});

/** POST /v1/admin/policy-versions. */
export const publishedResponse = () =>
  z.looseObject({
    ...publishedFields(),
    notices: z.looseObject({ status: z.literal('started'), segments: count(16) }),
  });

/** GET /v1/admin/policy-versions. */
export const versionsResponse = () =>
  z.looseObject({
    deployed: z.looseObject({ version: text('2026-01-01'), effectiveDate: text('2026-01-01') }),
    inForce: policyVersion(),
    versions: z.array(
      z.looseObject({
        ...publishedFields(),
        status: text('in-force'),
        notices: fanOut(),
      }),
    ),
  });

const recordsContact = () =>
  z.looseObject({
    name: words('Kim Minji', '김민지'),
    role: words('Chief privacy officer', '개인정보 보호책임자'),
    email: z.optional(text('privacy@example.com')),
  });

/** GET /v1/admin/records-of-processing as JSON: the records rendered from the catalogue in force. */
export const recordsOfProcessingResponse = () =>
  z.looseObject({
    controller: z.looseObject({
      name: words('Example Co., Ltd.', '예시 주식회사'),
      service: words('Example app', '예시 앱'),
    }),
    officer: recordsContact(),
    otherContacts: z.array(recordsContact()),
    policy: z.looseObject({ version: text('1.0'), effectiveDate: text('2026-01-01') }),
    activities: z.array(
      z.looseObject({
        purpose: text('membership'),
        label: words('Member management', '회원 관리'),
        description: words('Identifying members and keeping their accounts', '회원 식별 및 계정 유지'),
        required: flag(true),
        legalBasis: text('contract'),
        dataSubjects: strings(['Members']),
        items: strings(['email']),
        recipients: z.array(words('Amazon Web Services, Inc.', 'Amazon Web Services, Inc.')),
        retention: strings(['member-data']),
      }),
    ),
    categories: z.array(
      z.looseObject({
        subject: text('member'),
        label: words('About you', '회원에 관한 정보'),
        items: z.array(
          z.looseObject({
            id: text('email'),
            label: words('Email address', '이메일 주소'),
            retention: text('member-data'),
          }),
        ),
      }),
    ),
    recipients: z.looseObject({
      thirdParties: z.array(
        z.looseObject({
          id: text('delivery-partner'),
          name: words('Example Delivery Co.', '예시배송'),
          contact: text('privacy@delivery.example'),
          purposes: strings(['delivery']),
          items: strings(['name']),
        }),
      ),
      entrustees: z.array(
        z.looseObject({
          contractor: words('Amazon Web Services, Inc.', 'Amazon Web Services, Inc.'),
          task: words('System operation and data retention', '시스템 운영 및 데이터 보관'),
          location: words(
            'Seoul, South Korea (AWS Seoul Region, ap-northeast-2)',
            '대한민국 서울 (AWS 서울 리전, ap-northeast-2)',
          ),
        }),
      ),
      otherProvisionBases: strings(['legal-obligation']),
    }),
    internationalTransfers: z.looseObject({
      transfers: z.array(z.unknown()),
      statement: text('None. Personal data is stored and processed only in ap-northeast-2.'),
    }),
    retention: z.array(retentionClass()),
    security: z.looseObject({
      encryption: strings(['Envelope encryption per member under AWS KMS.']),
      accessControl: strings(['Officer routes require the officers group and TOTP MFA.']),
      logging: strings(['Every officer access is recorded in a hash-chained record.']),
    }),
  });
