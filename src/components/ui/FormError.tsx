"use client";

/** A mutation's localized error message, announced to screen readers. */
export function FormError({ error }: { error: { message: string } | null | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {error.message}
    </p>
  );
}
