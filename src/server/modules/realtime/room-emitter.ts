import type { ServerToClientEvents } from "~/shared/realtime";

export type RealtimeEvent = keyof ServerToClientEvents;
export type RealtimePayload<E extends RealtimeEvent> = Parameters<ServerToClientEvents[E]>[0];

/** Both socket.io's Server (web) and @socket.io/redis-emitter's Emitter (workers) fit this. */
export interface RoomBroadcaster {
  to(rooms: string | string[]): { emit(event: string, payload: unknown): unknown };
  /** Through the Redis adapter (web) or emitter (workers), every process drops the room's sockets. */
  in(room: string): { disconnectSockets(close?: boolean): unknown };
}

export type EmitToRooms = <E extends RealtimeEvent>(rooms: string[], event: E, payload: RealtimePayload<E>) => void;

export function roomEmitter(target: RoomBroadcaster): EmitToRooms {
  return (rooms, event, payload) => {
    target.to(rooms).emit(event, payload);
  };
}
