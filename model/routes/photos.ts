/**
 * The photo routes (L2, L1, L14): the member's own photo and each baby's, uploaded straight to the
 * photos bucket through a presigned PUT and read back through a presigned GET. Only profiles whose
 * catalogue has photo items have them.
 */
import * as z from 'zod/mini';
import { imageMediaTypes, MAX_IMAGE_BYTES } from '../../policy/schema';
import { photoItems } from '../photos';
import { photoDownloadResponse, photoUploadResponse } from './responses';
import type { Route } from './route';

/** The upload a member declares: the image's type and exact size, which the signature then binds. */
const uploadSchema = () =>
  z.strictObject({
    mediaType: z.enum(imageMediaTypes),
    bytes: z.int().check(z.minimum(1), z.maximum(MAX_IMAGE_BYTES)),
  });

const UPLOAD_DESCRIPTION =
  'The presigned upload: PUT the image to `url` with exactly the listed headers before `expiresAt`; S3 refuses any other type or size. The bucket encrypts it under the members key.';
const DOWNLOAD_DESCRIPTION =
  "The photo's metadata and its presigned download (GET `url` before `expiresAt`).";

/** post-photo: the route of lambdas/handlers/post-photo.ts. */
export const postPhotoRoute = {
  id: 'post-photo',
  method: 'POST',
  path: '/v1/me/photo',
  access: 'member',
  use: 'correct',
  summary: "Upload the member's profile photo: a presigned PUT for a JPEG, PNG or WebP image (L2, L1).",
  tags: ['photos'],
  body: uploadSchema,
  enabled: (c) => photoItems(c, 'member').length > 0,
  responses: { 200: { description: UPLOAD_DESCRIPTION, schema: photoUploadResponse } },
  raises: {
    'not-found': 'Not a member: join with POST /v1/members first.',
    'rule-violated': 'The consent that photos need is not given (L1).',
  },
  grants: { tables: { members: 'read' }, photos: ['upload'] },
} as const satisfies Route;

/** get-photo: the route of lambdas/handlers/get-photo.ts. */
export const getPhotoRoute = {
  id: 'get-photo',
  method: 'GET',
  path: '/v1/me/photo',
  access: 'member',
  use: 'view',
  summary: "The member's profile photo: its metadata and a presigned download (L14).",
  tags: ['photos'],
  enabled: (c) => photoItems(c, 'member').length > 0,
  responses: { 200: { description: DOWNLOAD_DESCRIPTION, schema: photoDownloadResponse } },
  raises: { 'not-found': 'Not a member, or no photo is held.' },
  // One that breaks its limits or lost its consent meanwhile is erased on sight.
  grants: { tables: { members: 'read' }, photos: ['download', 'erase'] },
} as const satisfies Route;

/** post-baby-photo: the route of lambdas/handlers/post-baby-photo.ts. */
export const postBabyPhotoRoute = {
  id: 'post-baby-photo',
  method: 'POST',
  path: '/v1/me/babies/{babyId}/photo',
  access: 'member',
  use: 'correct',
  summary: "Upload a baby's profile photo: a presigned PUT for a JPEG, PNG or WebP image (L2, L1).",
  tags: ['photos'],
  body: uploadSchema,
  enabled: (c) => photoItems(c, 'baby').length > 0,
  responses: { 200: { description: UPLOAD_DESCRIPTION, schema: photoUploadResponse } },
  raises: {
    'not-found': 'Not a member, or no such baby.',
    'rule-violated': 'The consent that photos need is not given (L1).',
  },
  grants: { tables: { members: 'read' }, photos: ['upload'] },
} as const satisfies Route;

/** get-baby-photo: the route of lambdas/handlers/get-baby-photo.ts. */
export const getBabyPhotoRoute = {
  id: 'get-baby-photo',
  method: 'GET',
  path: '/v1/me/babies/{babyId}/photo',
  access: 'member',
  use: 'view',
  summary: "A baby's profile photo: its metadata and a presigned download (L14).",
  tags: ['photos'],
  enabled: (c) => photoItems(c, 'baby').length > 0,
  responses: { 200: { description: DOWNLOAD_DESCRIPTION, schema: photoDownloadResponse } },
  raises: { 'not-found': 'Not a member, no such baby, or no photo is held.' },
  grants: { tables: { members: 'read' }, photos: ['download', 'erase'] },
} as const satisfies Route;

/** Every photo route, in the order of the OpenAPI document. */
export const photoRoutes = [postPhotoRoute, getPhotoRoute, postBabyPhotoRoute, getBabyPhotoRoute] as const;
