import { z } from 'zod';
import type { RoutePlugin } from '../services.js';

export const systemRoutes: RoutePlugin = async (app, { services }) => {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness and which event store is in use (no token needed)',
        response: { 200: z.object({ status: z.literal('ok'), store: z.enum(['sqlite', 'eventstoredb']) }) },
      },
    },
    async () => ({ status: 'ok' as const, store: services.store.kind }),
  );
};
