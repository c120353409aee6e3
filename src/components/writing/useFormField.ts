"use client";
import { useEffect, useState, type RefObject } from "react";

/**
 * The live value of a named field of the form that holds `anchor`: lets a helper sit inside a form
 * it does not own (one element in someone else's markup) without the form lifting its state.
 * Follows typing (input events bubble to the form) and the form's reset.
 */
export function useFormField(anchor: RefObject<HTMLElement | null>, name: string | undefined): string {
  const [value, setValue] = useState("");
  useEffect(() => {
    const form = anchor.current?.closest("form");
    if (!form || !name) return;
    const read = () => {
      const field = form.elements.namedItem(name);
      setValue(field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement ? field.value : "");
    };
    const onInput = (e: Event) => {
      if ((e.target as { name?: string } | null)?.name === name) read();
    };
    // A reset fires before the fields are cleared: read once it is done.
    const onReset = () => setTimeout(read, 0);
    read();
    form.addEventListener("input", onInput);
    form.addEventListener("reset", onReset);
    return () => {
      form.removeEventListener("input", onInput);
      form.removeEventListener("reset", onReset);
    };
  }, [anchor, name]);
  return value;
}
