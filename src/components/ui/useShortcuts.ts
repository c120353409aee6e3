"use client";
import { useEffect, useRef } from "react";

/** One keyboard shortcut: the keys that trigger it (KeyboardEvent.key values), what it does, and the action. */
export interface Shortcut {
  keys: string[];
  description: string;
  /** How the keys are shown in the help when not one by one (e.g. "1 … 7"). */
  label?: string;
  run: (event: KeyboardEvent) => void;
  /** Only when this holds (e.g. Enter, not on a button). */
  when?: (event: KeyboardEvent) => boolean;
}

const TEXT_INPUTS = new Set(["text", "search", "email", "number", "password", "tel", "url", "date", "datetime-local", "time", "month", "week"]);

/** Keys typed into a field belong to the field: shortcuts stay quiet there. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && TEXT_INPUTS.has(target.type);
}

/**
 * Single-key shortcuts on the page (no Ctrl/Alt/Meta: those belong to the browser). The latest
 * list is read on each key press, so callers may pass a new array on every render.
 */
export function useShortcuts(shortcuts: Shortcut[], enabled = true) {
  const current = useRef(shortcuts);
  current.current = shortcuts;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing || isTyping(e.target)) return;
      const shortcut = current.current.find((s) => s.keys.includes(e.key) && (!s.when || s.when(e)));
      if (!shortcut) return;
      e.preventDefault();
      shortcut.run(e);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [enabled]);
}
