/** POST /v1/me/photo — sign the upload of the member's profile photo. */
import { PHOTO_LINK_SECONDS } from '../../model/photos';
import { postPhotoRoute } from '../../model/routes/photos';
import { requestUpload } from '../features/photos/photos';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  postPhotoRoute,
  async ({ catalogue, principal, body }) => ({
    status: 200,
    body: await requestUpload(catalogue, principal.memberId, undefined, body, new Date(), PHOTO_LINK_SECONDS),
  }),
  memberEdge,
);
