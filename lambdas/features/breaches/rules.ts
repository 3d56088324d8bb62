/**
 * Personal-data breaches (PIPA Art. 34, Enforcement Decree Arts. 39-40; GDPR Arts. 33-34), as
 * pure rules: the two clocks and their states, which regulators a breach is reported to, what
 * closing needs, each member's notice in their language, and the regulator's report. No SDK,
 * no store: the use cases feed these what they read.
 */
import { seoulDateTimeText } from '../../../model/calendar';
import { DEFAULT_LANGUAGE, isLanguage, type Language, type Text } from '../../../policy/i18n';
import { particle } from '../../../policy/particles';
import type { Catalogue, Regulator } from '../../../policy/schema';

const HOUR_MS = 3_600_000;

/** Who was affected, as the officer states it. */
export type AffectedMembers =
  | { readonly kind: 'list'; readonly memberIds: readonly string[] }
  | {
      readonly kind: 'query';
      /** Members holding any of these catalogue items. */
      readonly holding: readonly string[];
      readonly joinedAfter?: string;
      readonly joinedBefore?: string;
    }
  | { readonly kind: 'all' };

/** A filing of the report with one regulator, as the officer records it. */
export interface Filing {
  readonly regulator: string;
  readonly filedAt: string;
  readonly reference: string;
  readonly by: string;
}

/** The breach record (sk BREACH); the per-member notices and the ledger are items of their own. */
export interface BreachRecord {
  readonly breachId: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly discoveredAt: string;
  readonly occurredAt?: string;
  readonly items: readonly string[];
  readonly cause: { readonly outsideAttack: boolean; readonly description: Text };
  readonly measures: Text;
  readonly memberActions?: Text;
  readonly affected: AffectedMembers;
  readonly euMembers: boolean;
  /** Scan segments (or 1 for a list) finding the affected members. */
  readonly segments: number;
  readonly status: 'open' | 'closed';
  /** When every affected member had been found. */
  readonly membersFoundAt?: string;
  /** When every affected member had been told (or found unreachable), once the clocks job saw it. */
  readonly membersToldAt?: string;
  readonly filings: readonly Filing[];
  readonly closedAt?: string;
  readonly closedBy?: string;
  readonly closeReason?: string;
}

/** The state of one member's notice (sk N#<memberId>). */
export type NoticeState = 'pending' | 'sending' | 'sent' | 'undeliverable' | 'gone';

/** How the affected members' notices stand. */
export interface NoticeProgress {
  /** Whether every affected member has been found (the scan or the list is done). */
  readonly found: boolean;
  readonly identified: number;
  readonly sent: number;
  readonly undeliverable: number;
  readonly gone: number;
  /** Not yet settled: pending or being sent. */
  readonly waiting: number;
  /** The latest settlement. */
  readonly lastAt?: string;
}

/** The state of a clock: met in time, met late, still running, or past its deadline. */
export type ClockState = 'met' | 'late' | 'open' | 'overdue' | 'not-required';

/** One clock as the officer sees it. */
export interface ClockView {
  readonly dueAt: string;
  readonly metAt?: string;
  readonly state: ClockState;
}

/** The deadline of a clock of `hours` from discovery. */
export function dueAt(discoveredAt: string, hours: number): string {
  return new Date(new Date(discoveredAt).getTime() + hours * HOUR_MS).toISOString();
}

function clockState(due: string, metAt: string | undefined, now: Date): ClockState {
  if (metAt) return metAt <= due ? 'met' : 'late';
  return now.toISOString() >= due ? 'overdue' : 'open';
}

/** What the regulators' conditions are tested against. */
export interface BreachFacts {
  readonly members: number;
  readonly items: readonly string[];
  readonly outsideAttack: boolean;
  readonly euMembers: boolean;
}

/** Why a regulator's conditions hold for a breach, by condition; empty when none does. */
export function triggersOf(c: Catalogue, regulator: Regulator, facts: BreachFacts): string[] {
  const { when } = regulator;
  const held: string[] = [];
  if (when.minMembers !== undefined && facts.members >= when.minMembers) held.push('minMembers');
  if (when.sensitiveItems && facts.items.some((i) => c.breach.sensitiveItems.includes(i)))
    held.push('sensitiveItems');
  if (when.identificationItems && facts.items.some((i) => c.breach.identificationItems.includes(i)))
    held.push('identificationItems');
  if (when.outsideAttack && facts.outsideAttack) held.push('outsideAttack');
  if (when.euMembers && facts.euMembers) held.push('euMembers');
  return held;
}

/**
 * The regulators a breach is reported to: the first PIPA regulator of the catalogue whose
 * conditions hold (PIPC or KISA), and every GDPR one whose conditions hold. Empty: no report is due.
 */
export function regulatorsFor(
  c: Catalogue,
  facts: BreachFacts,
): { regulator: Regulator; because: string[] }[] {
  const chosen: { regulator: Regulator; because: string[] }[] = [];
  let pipa = false;
  for (const regulator of c.breach.regulators) {
    const because = triggersOf(c, regulator, facts);
    if (because.length === 0) continue;
    if (regulator.law === 'pipa') {
      if (pipa) continue;
      pipa = true;
    }
    chosen.push({ regulator, because });
  }
  return chosen;
}

/** The facts of a breach as its notices stand. */
export function factsOf(breach: BreachRecord, progress: NoticeProgress): BreachFacts {
  const listed = breach.affected.kind === 'list' ? breach.affected.memberIds.length : 0;
  return {
    members: Math.max(listed, progress.identified),
    items: breach.items,
    outsideAttack: breach.cause.outsideAttack,
    euMembers: breach.euMembers,
  };
}

/** Both clocks of a breach at `now`. */
export function clocksOf(
  c: Catalogue,
  breach: BreachRecord,
  progress: NoticeProgress,
  now: Date,
): { members: ClockView; regulator: ClockView & { readonly authorities: readonly string[] } } {
  const membersDue = dueAt(breach.discoveredAt, c.breach.memberNoticeHours);
  const regulatorDue = dueAt(breach.discoveredAt, c.breach.regulatorReportHours);
  const authorities = regulatorsFor(c, factsOf(breach, progress)).map((r) => r.regulator.id);
  const filed = authorities.map((id) => breach.filings.find((f) => f.regulator === id)?.filedAt);
  const regulatorMet =
    authorities.length > 0 && filed.every((at) => at !== undefined)
      ? (filed as string[]).sort().at(-1)
      : undefined;
  // Members are told once every one found has a settled notice; the clocks job records when.
  const membersMet =
    breach.membersToldAt ?? (progress.found && progress.waiting === 0 ? progress.lastAt : undefined);
  return {
    members: {
      dueAt: membersDue,
      ...(membersMet ? { metAt: membersMet } : {}),
      state: clockState(membersDue, membersMet, now),
    },
    regulator: {
      dueAt: regulatorDue,
      ...(regulatorMet ? { metAt: regulatorMet } : {}),
      // A breach below every threshold owes no report, once all its members are found.
      state:
        authorities.length === 0 && progress.found
          ? 'not-required'
          : clockState(regulatorDue, regulatorMet, now),
      authorities,
    },
  };
}

/** How close each unmet clock is to its deadline: for the alarms. */
export function deadlineCounts(
  c: Catalogue,
  clocks: readonly ClockView[],
  now: Date,
): { near: number; missed: number } {
  let near = 0;
  let missed = 0;
  for (const clock of clocks) {
    if (clock.state === 'overdue') missed++;
    else if (
      clock.state === 'open' &&
      now.getTime() >= new Date(clock.dueAt).getTime() - c.breach.warnHoursBefore * HOUR_MS
    )
      near++;
  }
  return { near, missed };
}

/**
 * Whether a breach may close: both clocks met in time, or a recorded reason (a clock met late
 * needs one too: GDPR Art. 33(1) asks for the reasons of a delay). Answers the problem, or undefined.
 */
export function closeRefusal(
  clocks: { members: ClockView; regulator: ClockView },
  reason: string | undefined,
): string | undefined {
  const done = (s: ClockState) => s === 'met' || s === 'not-required';
  if (done(clocks.members.state) && done(clocks.regulator.state)) return undefined;
  if (reason) return undefined;
  return `Members clock ${clocks.members.state}, regulator clock ${clocks.regulator.state}: closing needs a reason.`;
}

/** A member's language: the profile's `lang`, else Korean. */
export function languageOf(profile: { readonly lang?: unknown }): Language {
  return isLanguage(profile.lang) ? profile.lang : DEFAULT_LANGUAGE;
}

/** An instant as a person reads it, in Asia/Seoul: "2027년 12월 1일 03:00 KST" / "1 December 2027, 03:00 KST". */
export function shownAt(instant: string, lang: Language): string {
  return seoulDateTimeText(new Date(instant), lang);
}

/** The labels of the leaked items, in `lang`. */
function itemLabels(c: Catalogue, items: readonly string[], lang: Language): string {
  return items.map((id) => c.items[id]?.label[lang] ?? id).join(', ');
}

/** The officer's contact line, in `lang`. */
function contactLine(c: Catalogue, lang: Language): string {
  const o = c.contacts.officer;
  return [o.name[lang], o.role[lang], o.department?.[lang], o.phone, o.email].filter(Boolean).join(', ');
}

/**
 * The notice to one member (PIPA Art. 34(1)): what leaked, when and how, what we did, what they
 * can do, and whom to contact; in the member's language, dates in Asia/Seoul.
 */
export function breachNoticeText(
  c: Catalogue,
  breach: BreachRecord,
  lang: Language,
): { subject: string; text: string } {
  const when = breach.occurredAt ?? breach.discoveredAt;
  const actions = breach.memberActions ?? c.breach.memberActions;
  if (lang === 'ko') {
    return {
      subject: `[${c.operator.service.ko}] 개인정보 유출 사실을 알려 드립니다`,
      text: [
        `${particle(c.operator.name.ko, '은/는')} 회원님의 개인정보가 유출된 사실을 알게 되어 개인정보 보호법 제34조에 따라 알려 드립니다.`,
        '',
        `1. 유출된 개인정보 항목: ${itemLabels(c, breach.items, 'ko')}`,
        `2. 유출 시점과 경위: ${shownAt(when, 'ko')}${breach.occurredAt ? '' : '(발견 시점)'}, ${breach.cause.description.ko}${breach.cause.outsideAttack ? ' (외부의 불법 접근)' : ''}`,
        `   유출 사실을 안 때: ${shownAt(breach.discoveredAt, 'ko')}`,
        `3. 저희가 한 조치와 피해 구제 절차: ${breach.measures.ko}`,
        `4. 회원님이 하실 수 있는 일: ${actions.ko}`,
        `5. 피해 신고·문의처: ${c.breach.helpDesk.ko}`,
        `   개인정보 보호책임자: ${contactLine(c, 'ko')}`,
        '',
        `유출 사고 번호: ${breach.breachId}`,
      ].join('\n'),
    };
  }
  return {
    subject: `[${c.operator.service.en}] Your personal data has been leaked`,
    text: [
      `${c.operator.name.en} has learned that personal data of yours was leaked, and tells you so under PIPA Art. 34.`,
      '',
      `1. What leaked: ${itemLabels(c, breach.items, 'en')}`,
      `2. When and how: ${shownAt(when, 'en')}${breach.occurredAt ? '' : ' (when discovered)'}, ${breach.cause.description.en}${breach.cause.outsideAttack ? ' (illegal access from outside)' : ''}`,
      `   Discovered: ${shownAt(breach.discoveredAt, 'en')}`,
      `3. What we did, and how to seek redress: ${breach.measures.en}`,
      `4. What you can do: ${actions.en}`,
      `5. Whom to contact: ${c.breach.helpDesk.en}`,
      `   Privacy officer: ${contactLine(c, 'en')}`,
      '',
      `Breach reference: ${breach.breachId}`,
    ].join('\n'),
  };
}

/** The regulator's report (Enforcement Decree Art. 40; GDPR Art. 33(3)) as data, in both languages. */
export interface BreachReport {
  readonly breachId: string;
  readonly operator: { readonly name: Text; readonly service: Text };
  readonly officer: Catalogue['contacts']['officer'];
  readonly authorities: readonly {
    readonly id: string;
    readonly name: Text;
    readonly filing: Text;
    readonly law: 'pipa' | 'gdpr';
    readonly because: readonly string[];
    readonly filedAt?: string;
    readonly reference?: string;
  }[];
  readonly items: readonly { readonly id: string; readonly label: Text }[];
  readonly occurredAt?: string;
  readonly discoveredAt: string;
  readonly cause: { readonly outsideAttack: boolean; readonly description: Text };
  readonly membersAffected: { readonly count: number; readonly final: boolean; readonly euMembers: boolean };
  readonly measures: Text;
  readonly memberActions: Text;
  readonly helpDesk: Text;
  readonly memberNotices: {
    readonly sent: number;
    readonly undeliverable: number;
    readonly waiting: number;
    readonly completedAt?: string;
  };
  readonly clocks: ReturnType<typeof clocksOf>;
  readonly preparedAt: string;
}

/** The report a regulator is filed, from the breach and its notices. */
export function breachReport(
  c: Catalogue,
  breach: BreachRecord,
  progress: NoticeProgress,
  now: Date,
): BreachReport {
  const facts = factsOf(breach, progress);
  const clocks = clocksOf(c, breach, progress, now);
  return {
    breachId: breach.breachId,
    operator: c.operator,
    officer: c.contacts.officer,
    authorities: regulatorsFor(c, facts).map(({ regulator, because }) => {
      const filing = breach.filings.find((f) => f.regulator === regulator.id);
      return {
        id: regulator.id,
        name: regulator.name,
        filing: regulator.filing,
        law: regulator.law,
        because,
        ...(filing ? { filedAt: filing.filedAt, reference: filing.reference } : {}),
      };
    }),
    items: breach.items.map((id) => ({ id, label: c.items[id]?.label ?? { ko: id, en: id } })),
    ...(breach.occurredAt ? { occurredAt: breach.occurredAt } : {}),
    discoveredAt: breach.discoveredAt,
    cause: breach.cause,
    membersAffected: { count: facts.members, final: progress.found, euMembers: breach.euMembers },
    measures: breach.measures,
    memberActions: breach.memberActions ?? c.breach.memberActions,
    helpDesk: c.breach.helpDesk,
    memberNotices: {
      sent: progress.sent,
      undeliverable: progress.undeliverable,
      waiting: progress.waiting,
      ...(clocks.members.metAt ? { completedAt: clocks.members.metAt } : {}),
    },
    clocks,
    preparedAt: now.toISOString(),
  };
}

/** The report's sections as label/value rows in `lang`: shared by the Markdown and HTML renderings. */
export function reportRows(report: BreachReport, lang: Language): [string, string][] {
  const ko = lang === 'ko';
  const t = (text: Text) => text[lang];
  const when = (at: string | undefined) => (at ? shownAt(at, lang) : ko ? '없음' : 'none');
  return [
    [ko ? '사고 번호' : 'Breach reference', report.breachId],
    [
      ko ? '개인정보처리자' : 'Controller',
      `${report.operator.name[lang]} (${report.operator.service[lang]})`,
    ],
    [
      ko ? '개인정보 보호책임자' : 'Privacy officer',
      [report.officer.name[lang], report.officer.role[lang], report.officer.phone, report.officer.email]
        .filter(Boolean)
        .join(', '),
    ],
    [
      ko ? '신고 기관' : 'Reported to',
      report.authorities.length
        ? report.authorities
            .map(
              (a) =>
                `${t(a.name)} [${a.because.join(', ')}]${a.filedAt ? ` ${ko ? '신고' : 'filed'} ${when(a.filedAt)} (${a.reference})` : ''}`,
            )
            .join('; ')
        : ko
          ? '신고 기준에 해당하지 않음'
          : 'No threshold met: no report due',
    ],
    [ko ? '유출된 항목' : 'Items leaked', report.items.map((i) => i.label[lang]).join(', ')],
    [ko ? '유출 시점' : 'Occurred', when(report.occurredAt)],
    [ko ? '유출을 안 시점' : 'Discovered', when(report.discoveredAt)],
    [
      ko ? '유출 경위' : 'Cause',
      `${t(report.cause.description)}${report.cause.outsideAttack ? (ko ? ' (외부의 불법 접근)' : ' (outside attack)') : ''}`,
    ],
    [
      ko ? '유출된 정보주체 수' : 'Members affected',
      `${report.membersAffected.count}${report.membersAffected.final ? '' : ko ? ' (확인 중)' : ' (still being counted)'}${report.membersAffected.euMembers ? (ko ? ', EU 회원 포함' : ', EU members among them') : ''}`,
    ],
    [ko ? '조치 및 피해 구제 절차' : 'Measures taken and redress', t(report.measures)],
    [ko ? '정보주체가 할 수 있는 일' : 'What members can do', t(report.memberActions)],
    [ko ? '피해 신고·문의처' : 'Where members report damage', t(report.helpDesk)],
    [
      ko ? '정보주체 통지' : 'Members told',
      `${ko ? '발송' : 'sent'} ${report.memberNotices.sent}, ${ko ? '발송 불가' : 'undeliverable'} ${report.memberNotices.undeliverable}, ${ko ? '대기' : 'waiting'} ${report.memberNotices.waiting}; ${ko ? '완료' : 'completed'} ${when(report.memberNotices.completedAt)}`,
    ],
    [
      ko ? '통지 기한' : 'Members deadline',
      `${when(report.clocks.members.dueAt)} (${report.clocks.members.state})`,
    ],
    [
      ko ? '신고 기한' : 'Regulator deadline',
      `${when(report.clocks.regulator.dueAt)} (${report.clocks.regulator.state})`,
    ],
    [ko ? '작성 시점' : 'Prepared', when(report.preparedAt)],
  ];
}

/** The report as Markdown, in both languages (Korean first). */
export function reportMarkdown(report: BreachReport): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const table = (lang: Language) => [
    `| ${lang === 'ko' ? '항목' : 'Item'} | ${lang === 'ko' ? '내용' : 'Content'} |`,
    '| --- | --- |',
    ...reportRows(report, lang).map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`),
  ];
  return [
    '# 개인정보 유출 신고서',
    '',
    ...table('ko'),
    '',
    '# Personal-data breach report',
    '',
    ...table('en'),
    '',
  ].join('\n');
}

/** Escapes text for HTML. */
function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}

/** The report as a standalone HTML page, in both languages (Korean first). */
export function reportHtml(report: BreachReport): string {
  const section = (lang: Language, title: string) =>
    `<section lang="${lang}"><h1>${escapeHtml(title)}</h1><table>${reportRows(report, lang)
      .map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
      .join('')}</table></section>`;
  return `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>${escapeHtml(`개인정보 유출 신고서 / Breach report ${report.breachId}`)}</title></head><body>${section('ko', '개인정보 유출 신고서')}${section('en', 'Personal-data breach report')}</body></html>`;
}
