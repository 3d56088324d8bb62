/** POST /v1/silo-requests/{requestId}/silos/{silo}/answer — a custom system's answer (issue 15). */
import { postSiloAnswerRoute } from '../../model/routes/silos';
import { idempotentRequests } from '../adapters/idempotency';
import { answerSiloRequest } from '../features/silos/silos';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  postSiloAnswerRoute,
  async ({ catalogue, path, body }) => {
    const { token, ...answer } = body;
    return {
      status: 200,
      body: await answerSiloRequest(catalogue, path.requestId!, path.silo!, token, answer, new Date()),
    };
  },
  { idempotency: idempotentRequests },
);
