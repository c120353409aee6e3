"use client";
import { useSyncExternalStore } from "react";

const noop = () => () => {};

/**
 * False on the server and during hydration, true after. Controls that only work with JavaScript
 * render once it runs, so nobody (person or test) clicks or types into a dead server-rendered copy.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}
