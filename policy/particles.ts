/**
 * Korean particles after the words the catalogue names, chosen by es-hangul. A module of its own
 * so that only the functions whose texts need a particle bundle the library (3.5 KB).
 */
import { josa } from 'es-hangul';

/**
 * `word` followed by the Korean particle that reads naturally after its last syllable (은/는,
 * 이/가, 을/를, 과/와, 으로/로), as es-hangul decides it: 이메일 주소를, 사용자 이름이.
 */
export function particle(word: string, pair: JosaPair): string {
  return josa(word, pair);
}

/** The particle pairs {@link particle} chooses between. */
export type JosaPair = '은/는' | '이/가' | '을/를' | '와/과' | '으로/로';
