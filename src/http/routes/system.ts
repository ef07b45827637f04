import { z } from 'zod';
import { StoreHealth } from '../../store/health.js';
import { HttpProblem, problem } from '../problem.js';
import type { RoutePlugin } from '../services.js';
import { ProblemSchema } from '../write.js';

export const systemRoutes: RoutePlugin = async (app, { services }) => {
  const health = services.storeHealth ?? new StoreHealth(services.store);
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Whether the event store can be read, and which one is in use (no token needed)',
        description: 'Answers 503 problem+json with the reason when the store cannot be read or its start check failed.',
        response: { 200: z.object({ status: z.literal('ok'), store: z.enum(['sqlite', 'eventstoredb']) }), 503: ProblemSchema },
      },
    },
    async () => {
      const answer = await health.check();
      if (!answer.ok) throw new HttpProblem(problem(503, 'STORAGE_UNAVAILABLE', answer.reason));
      return { status: 'ok' as const, store: services.store.kind };
    },
  );
};
