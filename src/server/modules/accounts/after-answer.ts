/**
 * Runs `work` on a later turn of the event loop (setImmediate), after the caller has sent its
 * answer: requests whose answer must not reveal anything, not even by how long it took (is this
 * address known?), do their address-dependent work here. The API does not wait for the promise
 * (it only logs a failure); tests await it.
 */
export function afterAnswer<T>(work: () => Promise<T>): Promise<T> {
  return new Promise<void>((resolve) => setImmediate(resolve)).then(work);
}
