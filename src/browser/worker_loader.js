// The scan worker's loader (copied to dist/ as is). The page compiles the
// engine's wasm once and sends the module to each worker as its first message:
// one download and one compilation however many workers there are, and a
// replacement worker (after Cancel or a crash) starts without either. Code the
// browser has already optimised in one worker serves the others too. Sent
// no module (the page could not compile it), the worker loads the wasm itself.
importScripts('./ducks-worker.js');
self.onmessage = ({ data }) => {
  self.onmessage = null;
  // The names are protocol.rs's `boot` (engine, warmUp, ducksWarmUp). Read by
  // the engine's start (worker.rs), which warms up only when told to.
  self.ducksWarmUp = data?.warmUp !== false;
  const module = data?.engine instanceof WebAssembly.Module ? data.engine : './ducks-worker_bg.wasm';
  // A failure to start becomes the worker's error event, which the page reports.
  wasm_bindgen({ module_or_path: module }).catch((error) => setTimeout(() => { throw error; }));
};
