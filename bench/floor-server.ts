/**
 * `npm run bench -- http --floor`: what this machine allows a read at all. A bare fastify (no
 * logger, no hooks, no plugins, no validation) that answers GET /floor with the very bytes and
 * headers one of the service's reads answered (BENCH_FLOOR: { body (base64), headers }), so
 * autocannon meets the same answer size and header count as against the service. Prints its port
 * on stdout once it listens; SIGTERM ends it.
 */
import Fastify from 'fastify';

interface FloorAnswer {
  readonly body: string;
  readonly headers: Record<string, string>;
}

const answer = JSON.parse(process.env.BENCH_FLOOR ?? '') as FloorAnswer;
const body = Buffer.from(answer.body, 'base64');
const app = Fastify({ logger: false });
app.get('/floor', (_request, reply) => reply.headers(answer.headers).send(body));
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`${typeof address === 'object' && address !== null ? address.port : 0}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
