/** Fixtures for the breach tests (PIPA Art. 34; GDPR Arts. 33-34): a breach body and its notices as the emulator holds them. */
import type { BreachInput } from '../../lambdas/features/breaches/breaches';
import type { AffectedMembers } from '../../lambdas/features/breaches/rules';
import type { Catalogue } from '../../policy/schema';

/** A breach body as an officer sends it: the notice item leaked, discovered at `discoveredAt`. */
export function breachBody(
  c: Catalogue,
  affected: AffectedMembers,
  discoveredAt: Date,
  overrides: Partial<BreachInput> = {},
): BreachInput & Record<string, unknown> {
  return {
    reason: 'Breach found by the security team',
    discoveredAt: discoveredAt.toISOString(),
    items: [c.noticeItem],
    cause: {
      outsideAttack: false,
      description: {
        ko: '백업 파일이 공개된 저장소에 잘못 올라감',
        en: 'A backup file was uploaded to a public store by mistake',
      },
    },
    measures: {
      ko: '파일을 즉시 삭제하고 접근 기록을 점검했습니다.',
      en: 'We deleted the file at once and reviewed who accessed it.',
    },
    affected,
    ...overrides,
  };
}
