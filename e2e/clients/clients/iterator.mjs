// fromSubscribe turns a push subscription (observer callbacks) into the
// async iterator the flow reads events from.
export function fromSubscribe(start) {
  const queue = [];
  const waiting = [];
  let done = false;
  const push = (item) => {
    const w = waiting.shift();
    if (w) w(item);
    else queue.push(item);
  };
  const stop = start({
    next: (value) => push({ value, done: false }),
    error: (err) => { push({ value: { errors: [{ message: String(err?.message ?? err) }] }, done: false }); done = true; },
    complete: () => { done = true; push({ value: undefined, done: true }); },
  });
  return {
    next() {
      if (queue.length) return Promise.resolve(queue.shift());
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => waiting.push(resolve));
    },
    async return() {
      stop();
      done = true;
      return { value: undefined, done: true };
    },
  };
}
