"use client";
import { useState } from "react";

type ClientError = { message: string };

/** A tRPC utils entry (`utils.catalog.products`, …): what a list needs to be read again after a write. */
interface Refetchable<I> {
  cancel: (input?: I) => Promise<void>;
  invalidate: (input?: I) => Promise<void>;
}

/**
 * Reads the list again after a write. The first load may still be in flight: `invalidate` alone joins
 * that older read (TanStack Query cancels a refetch only once there is data), and the new row was
 * missing until the next visit. Cancelling first makes the read start after the write.
 */
export function refetchAfterWrite<I>(entry: Refetchable<I>, input?: I): () => Promise<void> {
  return async () => {
    await entry.cancel(input);
    await entry.invalidate(input);
  };
}

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
