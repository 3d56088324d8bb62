/** What a member is told about a restriction of processing (L16), in the member's language. */
import { seoulDateTimeText } from '../../../model/calendar';
import type { Language } from '../../../policy/i18n';
import type { Catalogue } from '../../../policy/schema';

/** The notice that the restriction the member set at `since` is being lifted, as they asked. */
export function liftNoticeEmail(
  c: Catalogue,
  since: Date,
  lang: Language,
): { subject: string; text: string } {
  const service = c.operator.service[lang];
  const when = seoulDateTimeText(since, lang);
  if (lang === 'ko') {
    return {
      subject: `[${service}] 개인정보 처리정지가 해제됩니다`,
      text: `요청하신 대로 ${when}에 설정하신 개인정보 처리정지를 해제합니다. 이제부터 동의하신 목적에 따라 다시 개인정보를 처리합니다.`,
    };
  }
  return {
    subject: `${service}: your restriction of processing is being lifted`,
    text: `As you asked, the restriction of processing you set on ${when} is being lifted. From now on your data is processed again for the purposes you consented to.`,
  };
}
