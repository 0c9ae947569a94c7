// GraphiQL for corpline: queries and mutations over HTTP, subscriptions over
// the websocket (graphql-transport-ws) on the same path. The websocket cannot
// carry headers, so the token of the Authorization header in GraphiQL's
// headers editor goes into connection_init as authToken.
(function () {
  'use strict';
  var endpoint = new URL('graphql', location.href).href;
  var socketURL = endpoint.replace(/^http/, 'ws');
  var http = GraphiQL.createFetcher({ url: endpoint });
  var sockets = new Map(); // token -> graphql-ws client

  function bearer(headers) {
    for (var name in headers || {}) {
      if (name.toLowerCase() === 'authorization') {
        return String(headers[name]).replace(/^Bearer\s+/i, '');
      }
    }
    return '';
  }

  function socket(token) {
    var client = sockets.get(token);
    if (!client) {
      client = graphqlWs.createClient({
        url: socketURL,
        connectionParams: token ? { authToken: token } : {},
      });
      sockets.set(token, client);
    }
    return client;
  }

  function isSubscription(params, opts) {
    var doc = opts && opts.documentAST;
    if (doc) {
      var ops = doc.definitions.filter(function (d) { return d.kind === 'OperationDefinition'; });
      var op = ops.find(function (d) { return d.name && d.name.value === params.operationName; }) || ops[0];
      return !!op && op.operation === 'subscription';
    }
    return /^\s*subscription\b/.test(params.query.replace(/#[^\n]*/g, ''));
  }

  function fetcher(params, opts) {
    if (isSubscription(params, opts)) {
      return socket(bearer(opts && opts.headers)).iterate(params);
    }
    return http(params, opts);
  }

  var defaultQuery = [
    '# Sign in, then put the token in Headers below:',
    '# {"Authorization": "Bearer TOKEN"}',
    '# Subscriptions go over the websocket with it.',
    '',
    'mutation Login {',
    '  login(input: {enterprise: "demo", login: "admin", password: "demo-password"}) {',
    '    token',
    '  }',
    '}',
    '',
  ].join('\n');

  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: defaultQuery, defaultEditorToolsVisibility: true })
  );
})();
