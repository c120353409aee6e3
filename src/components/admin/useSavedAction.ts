"use client";
import { useState } from "react";

type ClientError = { message: string };

/**
 * An admin edit: clears the last notice and error, runs the mutation, says `savedText` or keeps the
 * error for FormError, and refreshes the list (`refresh`) either way. `run` answers whether it saved.
 */
export function useSavedAction(savedText: string, refresh: () => Promise<unknown>) {
  const [error, setError] = useState<ClientError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  async function run(action: () => Promise<unknown>): Promise<boolean> {
    setError(null);
    setNotice(null);
    try {
      await action();
      setNotice(savedText);
      return true;
    } catch (err) {
      setError(err as ClientError);
      return false;
    } finally {
      await refresh();
    }
  }
  return { run, error, notice };
}
