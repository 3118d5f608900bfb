// PostGraphile v5 (grafast) calls Promise.withResolvers, which Node 20 lacks (it arrived in Node 22).
// Loaded with `node -r ./bench/polyfill.cjs` before anything else in the PostGraphile process.
if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers() {
      let resolve;
      let reject;
      const promise = new this((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
