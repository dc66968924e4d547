import { describe, expect, it } from "vitest";
import { heldTickObject, holdTickObjectMaps } from "../../src/http/tick-object-maps.js";

describe("holdTickObjectMaps", () => {
  it("holds one of the objects Node makes for process.nextTick callbacks", () => {
    holdTickObjectMaps();
    const held = heldTickObject() as { callback?: unknown; args?: unknown } | undefined;
    // The shape the mechanism relies on: two symbol keys (async ids), then callback and args.
    expect(held).toBeDefined();
    expect(Object.getOwnPropertySymbols(held).map((symbol) => symbol.description)).toEqual(["async_id_symbol", "trigger_async_id_symbol"]);
    expect(Object.keys(held ?? {})).toEqual(["callback", "args"]);
    expect(typeof held?.callback).toBe("function");
  });

  it("keeps the first object: later calls and callbacks do not replace it", async () => {
    holdTickObjectMaps();
    const first = heldTickObject();
    holdTickObjectMaps();
    await new Promise<void>((resolve) => process.nextTick(resolve));
    expect(heldTickObject()).toBe(first);
  });
});
