// graphql-ws over ws: every operation on one websocket
// (graphql-transport-ws), the token in connection_init.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { env, postJSON } from '../flow.mjs';

const { url } = env();

export default {
  name: 'graphql-ws',
  async signIn(variables) {
    // A websocket needs a token before it connects.
    const { LOGIN } = await import('../flow.mjs');
    const res = await postJSON(url, LOGIN, variables);
    return res.data;
  },
  async connect(token) {
    const client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authToken: token },
      retryAttempts: 0,
    });
    const once = (query, variables) => client.iterate({ query, variables }).next().then((r) => r.value);
    return {
      query: once,
      mutate: once,
      subscribe: (query, variables) => client.iterate({ query, variables }),
      close: () => client.dispose(),
    };
  },
};
