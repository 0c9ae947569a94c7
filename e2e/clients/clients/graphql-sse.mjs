// graphql-sse: every operation over server-sent events, in distinct
// connections mode (one POST stream per operation) or in single connection
// mode (one reserved stream carries every operation, each sent with the
// stream's token).
import { createClient } from 'graphql-sse';
import { env } from '../flow.mjs';

const { url } = env();

export function sse(singleConnection) {
  const make = (token) => createClient({
    url,
    singleConnection,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
  const once = (client) => (query, variables) => client.iterate({ query, variables }).next().then((r) => r.value);
  return {
    name: singleConnection ? 'graphql-sse (single connection)' : 'graphql-sse (distinct connections)',
    async signIn(variables) {
      const { LOGIN } = await import('../flow.mjs');
      const client = make('');
      try {
        return (await once(client)(LOGIN, variables)).data;
      } finally {
        client.dispose();
      }
    },
    async connect(token) {
      const client = make(token);
      return {
        query: once(client),
        mutate: once(client),
        subscribe: (query, variables) => client.iterate({ query, variables }),
        close: () => client.dispose(),
      };
    },
  };
}
