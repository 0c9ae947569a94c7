// Apollo Client 4: queries and mutations over HTTP (HttpLink), subscriptions
// over graphql-ws (GraphQLWsLink), a normalized InMemoryCache.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { env } from '../flow.mjs';
import { fromSubscribe } from './iterator.mjs';

const { url } = env();

function make(token) {
  const http = new HttpLink({ uri: url, headers: token ? { authorization: `Bearer ${token}` } : {} });
  let ws = null;
  let link = http;
  if (token) {
    ws = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authToken: token }, retryAttempts: 0 });
    link = ApolloLink.split(({ query }) => {
      const def = getMainDefinition(query);
      return def.kind === 'OperationDefinition' && def.operation === 'subscription';
    }, new GraphQLWsLink(ws), http);
  }
  return { client: new ApolloClient({ link, cache: new InMemoryCache() }), ws };
}

// result turns Apollo's answer or error into { data, errors }.
async function result(promise) {
  try {
    const { data } = await promise;
    return { data };
  } catch (err) {
    return { errors: err.errors ?? [{ message: String(err.message ?? err) }] };
  }
}

export default {
  name: 'Apollo Client',
  async signIn(variables) {
    const { LOGIN } = await import('../flow.mjs');
    const { client } = make('');
    const res = await result(client.mutate({ mutation: gql(LOGIN), variables }));
    client.stop();
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data;
  },
  async connect(token) {
    const { client, ws } = make(token);
    return {
      query: (q, variables) => result(client.query({ query: gql(q), variables, fetchPolicy: 'network-only' })),
      mutate: (m, variables) => result(client.mutate({ mutation: gql(m), variables })),
      subscribe: (s, variables) => fromSubscribe((observer) => {
        const sub = client.subscribe({ query: gql(s), variables }).subscribe({
          next: (r) => observer.next(r.error ? { errors: r.error.errors ?? [{ message: r.error.message }] } : { data: r.data }),
          error: observer.error,
          complete: observer.complete,
        });
        return () => sub.unsubscribe();
      }),
      close: async () => { client.stop(); await ws?.dispose(); },
    };
  },
};
