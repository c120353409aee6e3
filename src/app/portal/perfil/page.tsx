"use client";
import { useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { ProfileForm } from "./ProfileForm";

function Profile() {
  const welcome = useSearchParams().get("bienvenida") === "1";
  return <ProfileForm welcome={welcome} home="/portal" />;
}

/** The customer's profile; right after accepting the invitation (?bienvenida=1) it welcomes them. */
export default function ProfilePage() {
  return (
    <Suspense>
      <Profile />
    </Suspense>
  );
}
