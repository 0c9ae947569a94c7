// node run.mjs CLIENT: runs the flow (flow.mjs) with one client and prints
// its steps; exits 1 on any failure, or on any warning the client logs
// (a client that warns, say, that it cannot normalize a type is a client
// the schema does not serve as it should).
import apollo from './clients/apollo.mjs';
import graphqlWS from './clients/graphql-ws.mjs';
import { sse } from './clients/graphql-sse.mjs';
import urql from './clients/urql.mjs';
import { run } from './flow.mjs';

const clients = {
  'graphql-ws': graphqlWS,
  'graphql-sse-distinct': sse(false),
  'graphql-sse-single': sse(true),
  apollo,
  urql,
};

const client = clients[process.argv[2]];
if (!client) {
  console.error(`usage: node run.mjs ${Object.keys(clients).join('|')}`);
  process.exit(2);
}
const warnings = [];
for (const level of ['warn', 'error']) {
  const log = console[level];
  console[level] = (...args) => { warnings.push(args.map(String).join(' ')); log(...args); };
}
try {
  const steps = await run(client);
  if (warnings.length) throw new Error(`${client.name} warned: ${warnings.join('\n')}`);
  console.log(`${client.name}: ${steps.join(', ')}`);
  process.exit(0);
} catch (err) {
  console.log(`${client.name} failed: ${err.stack ?? err}`);
  process.exit(1);
}
