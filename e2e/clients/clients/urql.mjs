// urql with Graphcache: its defaults (GET for queries that fit in a URL,
// an Accept header that lists JSON, then text/event-stream and
// multipart/mixed), subscriptions over fetch (server-sent events).
import { Client, fetchExchange, gql } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { env } from '../flow.mjs';
import { fromSubscribe } from './iterator.mjs';

const { url } = env();

function make(token) {
  return new Client({
    url,
    // MessageContent is a value inside its Message, not an entity: an app
    // tells Graphcache so, as its documentation asks for such types.
    exchanges: [cacheExchange({ keys: { MessageContent: () => null } }), fetchExchange],
    fetchSubscriptions: true,
    requestPolicy: 'network-only',
    fetchOptions: () => ({ headers: token ? { authorization: `Bearer ${token}` } : {} }),
  });
}

function result(r) {
  if (r.error) {
    const errors = r.error.graphQLErrors?.length ? r.error.graphQLErrors : [{ message: r.error.message }];
    return { data: r.data, errors };
  }
  return { data: r.data };
}

export default {
  name: 'urql',
  async signIn(variables) {
    const { LOGIN } = await import('../flow.mjs');
    const res = result(await make('').mutation(gql(LOGIN), variables).toPromise());
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data;
  },
  async connect(token) {
    const client = make(token);
    return {
      query: async (q, variables) => result(await client.query(gql(q), variables).toPromise()),
      mutate: async (m, variables) => result(await client.mutation(gql(m), variables).toPromise()),
      subscribe: (s, variables) => fromSubscribe((observer) => {
        const sub = client.subscription(gql(s), variables).subscribe((r) => observer.next(result(r)));
        return () => sub.unsubscribe();
      }),
      close: async () => {},
    };
  },
};
