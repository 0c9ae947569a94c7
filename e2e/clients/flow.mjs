// The flow every client runs against corpline, as an app would: sign in,
// load the viewer and the members page (the operations of
// frontend-contract/), follow the inbox, send a message to oneself and
// receive it on the subscription.
import { readFileSync } from 'node:fs';
import { parse, print, visit } from 'graphql';

const contract = new URL('../../frontend-contract/', import.meta.url);

// operation returns the named operation of a frontend-contract file with
// the fragments it uses, as a document of its own: some clients take one
// operation per document.
export function operation(file, name) {
  const doc = parse(readFileSync(new URL(file, contract), 'utf8'));
  const fragments = new Map(doc.definitions.filter((d) => d.kind === 'FragmentDefinition').map((d) => [d.name.value, d]));
  const op = doc.definitions.find((d) => d.kind === 'OperationDefinition' && d.name?.value === name);
  if (!op) throw new Error(`no operation ${name} in ${file}`);
  const used = new Map();
  const collect = (node) => visit(node, {
    FragmentSpread(s) {
      const name = s.name.value;
      if (!used.has(name)) {
        used.set(name, fragments.get(name));
        collect(fragments.get(name));
      }
    },
  });
  collect(op);
  return print({ kind: 'Document', definitions: [op, ...used.values()] });
}

export const LOGIN = operation('login.graphql', 'Login');
export const VIEWER = operation('viewer.graphql', 'Viewer');
export const MEMBERS_PAGE = operation('member-page.graphql', 'MembersPage');

export const SEND = `mutation Send($input: SendMessageInput!) {
  sendMessage(input: $input) { message { id } recipientCount }
}`;

export const INBOX = `subscription Inbox {
  inbox { kind cursor seq messageId entry { id seq message { id content { text } } } }
}`;

// env reads what the Go test passes: where the server is and who signs in.
export function env() {
  const get = (k) => {
    const v = process.env[k];
    if (!v) throw new Error(`${k} is not set (clients_test.go sets it)`);
    return v;
  };
  return {
    url: get('CORPLINE_URL'),
    enterprise: get('CORPLINE_ENTERPRISE'),
    login: get('CORPLINE_LOGIN'),
    password: get('CORPLINE_PASSWORD'),
    department: get('CORPLINE_DEPARTMENT'),
  };
}

function check(cond, what, got) {
  if (!cond) throw new Error(`${what}; got ${JSON.stringify(got)}`);
}

// withTimeout fails a step that takes longer than ms.
async function withTimeout(what, ms, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// run drives one client through the flow. A client is
//   signIn(vars) -> data of Login (may use a plain request: a websocket
//                   client cannot connect before it has a token)
//   connect(token) -> { query(doc, vars), mutate(doc, vars),
//                       subscribe(doc, vars) -> AsyncIterator of results,
//                       close() }
// and every result is { data, errors }.
export async function run(client) {
  const cfg = env();
  const steps = [];
  const step = async (name, fn) => {
    const t0 = performance.now();
    const out = await withTimeout(name, 20000, fn());
    steps.push(`${name} ${Math.round(performance.now() - t0)} ms`);
    return out;
  };

  const login = await step('sign in', () => client.signIn({ input: { enterprise: cfg.enterprise, login: cfg.login, password: cfg.password } }));
  check(login?.login?.token, 'sign-in returns a token', login);
  const conn = await client.connect(login.login.token);
  try {
    const viewer = await step('viewer', () => conn.query(VIEWER, {}));
    noErrors('viewer', viewer);
    const me = viewer.data.viewer.member;
    check(me?.id && me.userid === cfg.login, 'the viewer is the signed-in member', viewer.data);

    const page = await step('members page', () => conn.query(MEMBERS_PAGE, { first: 50 }));
    noErrors('members page', page);
    const rows = page.data.members.edges.map((e) => e.node);
    check(rows.length >= 2 && page.data.members.totalCount === rows.length, 'the members page lists every member', page.data.members);
    check(rows.some((m) => m.departments.some((d) => d.name === cfg.department)), `a member of ${cfg.department} is listed with it`, rows);

    const events = conn.subscribe(INBOX, {});
    const first = await step('subscribe', () => events.next());
    noErrors('inbox subscription', first.value);
    check(first.value?.data?.inbox?.kind === 'SYNC', 'the inbox subscription starts live with SYNC', first.value);

    const text = `hello from ${client.name} ${Date.now()}`;
    const sent = await step('send', () => conn.mutate(SEND, {
      input: { kind: 'TEXT', content: { text }, targets: { memberIds: [me.id] } },
    }));
    noErrors('send', sent);
    check(sent.data.sendMessage.recipientCount === 1, 'the message reaches one member', sent.data);

    const got = await step('receive', async () => {
      for (;;) {
        const ev = await events.next();
        check(!ev.done, 'the subscription stays open', ev);
        noErrors('inbox event', ev.value);
        const inbox = ev.value.data.inbox;
        if (inbox.kind === 'NEW' && inbox.messageId === sent.data.sendMessage.message.id) return inbox;
      }
    });
    check(got.entry.message.content.text === text, 'the event carries the message', got);
    await events.return?.();
  } finally {
    await conn.close();
  }
  return steps;
}

function noErrors(what, result) {
  if (result?.errors?.length) throw new Error(`${what}: ${JSON.stringify(result.errors)}`);
  if (!result?.data) throw new Error(`${what}: no data in ${JSON.stringify(result)}`);
}

// postJSON sends one GraphQL request as a plain application/json POST.
export async function postJSON(url, query, variables, token) {
  const headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return res.json();
}
