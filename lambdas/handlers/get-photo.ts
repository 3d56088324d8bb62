/** GET /v1/me/photo — the member's profile photo and its presigned download. */
import { PHOTO_LINK_SECONDS } from '../../model/photos';
import { getPhotoRoute } from '../../model/routes/photos';
import { requestDownload } from '../features/photos/photos';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  getPhotoRoute,
  async ({ catalogue, principal }) => ({
    status: 200,
    body: await requestDownload(catalogue, principal.memberId, undefined, new Date(), PHOTO_LINK_SECONDS),
  }),
  memberEdge,
);
