// Keeps V8's fast path for the object Node makes for every process.nextTick callback, which an
// HTTP answer queues several of (the request's end, the socket write, the response's close).
//
// Node builds that object as a literal with two computed symbol keys. V8 defines computed keys
// through a feedback slot that is monomorphic on the hidden class (map) the object had the
// first time, and turns megamorphic for good the first time it sees another: from then on
// every tick object is built in V8's runtime (a transition lookup and a map migration per key).
// The maps of that literal are kept only by the objects that have them, so a full garbage
// collection while no callback is queued (during a scan, or idle between bursts of requests)
// frees them, and the next callback makes new ones: that is the other map. Holding one tick
// object for the life of the process keeps its maps, and so the fast path. Measured on 304s of
// /feed.xml after a build of 1,000 posts (bench/README.md, `npm run bench:http`): 20.0 µs of CPU
// per answer with the object held, 24.5 µs without (medians of 6 alternating loads; every load
// lower with it).
import { createHook } from "node:async_hooks";

let held: object | undefined;

/**
 * Holds the next tick object made. Called at start-up, before anything has run long enough to
 * collect garbage; an async hook is the only public way to see a tick object, and it is
 * removed again at once.
 */
export function holdTickObjectMaps(): void {
  if (held) return;
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type === "TickObject") held ??= resource;
    },
  });
  hook.enable();
  process.nextTick(doNothing);
  hook.disable();
}

/** The tick object held, if any (for tests). */
export function heldTickObject(): object | undefined {
  return held;
}

function doNothing(): void {}
