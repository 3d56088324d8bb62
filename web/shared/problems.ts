/**
 * What a problem answer means to the person, in their language: the API keeps stable English
 * titles and a `type` URI per kind (model/routes/problems.ts); the pages map the kind to words.
 */
import type { ApiProblem, FieldError } from './api';
import type { Catalogue, Language } from './i18n';

type Kind =
  | 'invalid-input'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'not-acceptable'
  | 'conflict'
  | 'concurrent-change'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'rule-violated'
  | 'internal-error'
  | 'dependency-failed'
  | 'network'
  | 'unknown';

const MESSAGES: Catalogue<Kind> = {
  ko: {
    'invalid-input': '입력한 내용을 확인해 주세요. 표시된 항목을 고쳐야 합니다.',
    unauthorized: '로그인이 필요합니다. 다시 로그인해 주세요.',
    forbidden: '이 작업을 할 권한이 없습니다.',
    'not-found': '찾는 정보가 없습니다. 회원 가입이 되어 있는지 확인해 주세요.',
    'not-acceptable': '요청한 형식으로는 제공할 수 없습니다.',
    conflict: '현재 상태와 맞지 않는 요청입니다. 화면을 새로 고친 뒤 다시 시도해 주세요.',
    'concurrent-change': '다른 요청이 먼저 처리되고 있습니다. 잠시 후 다시 시도해 주세요.',
    'payload-too-large': '보낸 내용이 너무 깁니다.',
    'unsupported-media-type': '지원하지 않는 형식입니다.',
    'rule-violated': '개인정보 처리방침의 규칙에 맞지 않는 요청입니다.',
    'internal-error': '서비스 오류가 발생했습니다. 변경된 내용은 없습니다.',
    'dependency-failed': '서비스를 잠시 사용할 수 없습니다. 변경된 내용은 없으니 나중에 다시 시도해 주세요.',
    network: '서버에 연결할 수 없습니다. 네트워크를 확인해 주세요.',
    unknown: '요청을 처리하지 못했습니다.',
  },
  en: {
    'invalid-input': 'Please check what you entered: the marked fields need correcting.',
    unauthorized: 'You need to sign in again.',
    forbidden: 'You may not do this.',
    'not-found': 'Nothing was found. Check that you are a member.',
    'not-acceptable': 'This format is not available.',
    conflict: 'This clashes with the current state. Reload the page and try again.',
    'concurrent-change': 'Another request is being processed. Please try again in a moment.',
    'payload-too-large': 'What you sent is too long.',
    'unsupported-media-type': 'This format is not supported.',
    'rule-violated': 'This request breaks a rule of the privacy policy.',
    'internal-error': 'Something went wrong on our side. Nothing was changed.',
    'dependency-failed': 'The service is briefly unavailable. Nothing was changed; please try again later.',
    network: 'The server cannot be reached. Check your connection.',
    unknown: 'The request could not be completed.',
  },
};

/** The message for a problem's kind in `lang`. */
export function problemMessage(problem: ApiProblem, lang: Language): string {
  const messages = MESSAGES[lang];
  return (messages as Record<string, string>)[problem.kind] ?? messages.unknown;
}

type FieldProblem =
  | 'required'
  | 'format'
  | 'too-long'
  | 'unknown-field'
  | 'not-correctable'
  | 'code'
  | 'other';

const FIELD_MESSAGES: Catalogue<FieldProblem> = {
  ko: {
    required: '필수 항목입니다.',
    format: '형식이 올바르지 않습니다.',
    'too-long': '너무 깁니다.',
    'unknown-field': '받지 않는 항목입니다.',
    'not-correctable': '이 항목은 정정할 수 없습니다.',
    code: '이메일로 받은 6자리 숫자를 입력해 주세요.',
    other: '이 값은 받을 수 없습니다.',
  },
  en: {
    required: 'This field is required.',
    format: 'This is not in a valid format.',
    'too-long': 'This is too long.',
    'unknown-field': 'This field is not accepted.',
    'not-correctable': 'This item cannot be corrected.',
    code: 'Enter the 6-digit code from the email.',
    other: 'This value is not accepted.',
  },
};

/** The API's field problem (English, stable) as the reader's sentence. */
export function fieldMessage(error: FieldError, lang: Language): string {
  const problem = error.problem.toLowerCase();
  const kind: FieldProblem =
    problem === 'unknown field'
      ? 'unknown-field'
      : problem === 'not correctable'
        ? 'not-correctable'
        : problem.includes('6-digit')
          ? 'code'
          : /required|missing|blank|empty/.test(problem)
            ? 'required'
            : /too (long|big)|at most|maximum/.test(problem)
              ? 'too-long'
              : /invalid|must be|format|pattern|email|expected/.test(problem)
                ? 'format'
                : 'other';
  return FIELD_MESSAGES[lang][kind];
}
