/** A member's babies (L2): nickname and gender, with an optional photo where consented. */
import type { Catalogue } from '../../../policy/schema';
import { requestScopedId } from '../../runtime/request-ids';
import { checkChanges } from '../corrections/rules';
import { babyBinding, requireDataKey, requireMemberData, sealItems } from '../members/store';
import { eraseBabyPhotos } from '../photos/photos';
import { checkNewBaby, noSuchBaby } from './rules';
import { deleteBabyItem, putBaby, updateBabyItems } from './store';

/** Registers a baby; returns its id. */
export async function addBaby(
  c: Catalogue,
  memberId: string,
  values: Readonly<Record<string, string | undefined>>,
  now: Date,
  idempotencyKey?: string,
): Promise<{ babyId: string }> {
  const data = await requireMemberData(memberId);
  const babyId = requestScopedId('baby', memberId, idempotencyKey);
  if (data.babies.some((b) => b.babyId === babyId)) return { babyId };
  checkNewBaby(c, data.profile.signInMethod, data.babies.length, values);
  const { set } = checkChanges(c, data.profile, values);
  const key = await requireDataKey(memberId);
  await putBaby(
    memberId,
    babyId,
    sealItems(key, (id) => babyBinding(memberId, babyId, id), set),
    now.toISOString(),
  );
  return { babyId };
}

/** Corrects a baby's items (null removes an optional one). */
export async function correctBaby(
  c: Catalogue,
  memberId: string,
  babyId: string,
  changes: Readonly<Record<string, string | null | undefined>>,
): Promise<{ corrected: string[]; removed: string[] }> {
  const data = await requireMemberData(memberId);
  if (!data.babies.some((b) => b.babyId === babyId)) throw noSuchBaby();
  const { set, remove } = checkChanges(c, data.profile, changes);
  const key = await requireDataKey(memberId);
  const sealed = sealItems(key, (id) => babyBinding(memberId, babyId, id), set);
  if (
    (Object.keys(set).length > 0 || remove.length > 0) &&
    !(await updateBabyItems(memberId, babyId, sealed, remove))
  ) {
    throw noSuchBaby();
  }
  return { corrected: Object.keys(set), removed: remove };
}

/** Deletes a baby and every item of the baby, its photos (every version) first. */
export async function deleteBaby(c: Catalogue, memberId: string, babyId: string): Promise<void> {
  const data = await requireMemberData(memberId);
  if (!data.babies.some((b) => b.babyId === babyId)) throw noSuchBaby();
  // Photos first: a failure leaves the baby to delete again, never photos of a deleted baby.
  await eraseBabyPhotos(c, memberId, babyId);
  if (!(await deleteBabyItem(memberId, babyId))) throw noSuchBaby();
}
