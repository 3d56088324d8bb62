/** GET /v1/me/babies/{babyId}/photo — a baby's profile photo and its presigned download. */
import { PHOTO_LINK_SECONDS } from '../../model/photos';
import { getBabyPhotoRoute } from '../../model/routes/photos';
import { requestDownload } from '../features/photos/photos';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  getBabyPhotoRoute,
  async ({ catalogue, principal, path }) => ({
    status: 200,
    body: await requestDownload(catalogue, principal.memberId, path.babyId!, new Date(), PHOTO_LINK_SECONDS),
  }),
  memberEdge,
);
