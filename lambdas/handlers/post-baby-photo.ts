/** POST /v1/me/babies/{babyId}/photo — sign the upload of a baby's profile photo. */
import { PHOTO_LINK_SECONDS } from '../../model/photos';
import { postBabyPhotoRoute } from '../../model/routes/photos';
import { requestUpload } from '../features/photos/photos';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  postBabyPhotoRoute,
  async ({ catalogue, principal, body, path }) => ({
    status: 200,
    body: await requestUpload(
      catalogue,
      principal.memberId,
      path.babyId!,
      body,
      new Date(),
      PHOTO_LINK_SECONDS,
    ),
  }),
  memberEdge,
);
