"use client";
import { useEffect } from "react";
import { getSocket } from "~/realtime/socket";

/** Calls `onHint` whenever the server announces a new notification for this user (their own room). */
export function useNotificationHints(onHint: () => void) {
  useEffect(() => {
    const socket = getSocket();
    socket.on("notification:created", onHint);
    // Hints missed while disconnected: the count is read again on reconnection.
    socket.on("connect", onHint);
    return () => {
      socket.off("notification:created", onHint);
      socket.off("connect", onHint);
    };
  }, [onHint]);
}
