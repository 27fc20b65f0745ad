// The app's one WebSocket (`/ws`): connects with the session's token, reconnects with
// exponential backoff and jitter, resumes from the last event it saw, answers for frames sent
// with a `ref`, and keeps messages written while disconnected in an outbox that is sent once
// the socket is back (their `client_id` makes a resend harmless).
import { ApiError } from "../api/client";
import type { Frame, Message } from "../api/types";
import { reconnectDelay } from "./backoff";

export type ConnectionStatus = "Connected" | "Connecting…" | "Disconnected";

export interface ConnectionEvents {
  status(status: ConnectionStatus): void;
  /// Every server frame that is not an answer to one of ours (`ack`, `error` with a ref, `pong`).
  frame(frame: Frame): void;
  /// The socket was accepted: rooms to watch can be joined again.
  ready(frame: Frame): void;
  /// The session is over (logout, revocation, expiry): sign in again.
  sessionEnded(): void;
  /// The socket could not be opened: the token may have expired; the app checks.
  refused(): void;
}

interface OutboxItem {
  clientId: string;
  data: Record<string, unknown>;
  resolve(message: Message): void;
  reject(error: unknown): void;
}

interface Waiting {
  resolve(data: any): void;
  reject(error: unknown): void;
}

const pingEveryMs = 20_000;
/// No frame at all for this long (pings are answered) means the connection is gone.
const silenceLimitMs = 45_000;

export class Connection {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private reconnectTimer: number | null = null;
  private pingTimer: number | null = null;
  private lastFrameAt = 0;
  private lastEventId: string | null = null;
  private isReady = false;
  private stopped = false;
  private nextRef = 1;
  private readonly waiting = new Map<string, Waiting>();
  private readonly outbox: OutboxItem[] = [];
  private readonly inFlight = new Map<string, OutboxItem>();

  constructor(
    private readonly token: () => string,
    private readonly events: ConnectionEvents,
  ) {
    window.addEventListener("offline", this.onOffline);
    window.addEventListener("online", this.onOnline);
  }

  get connected(): boolean {
    return this.isReady;
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener("offline", this.onOffline);
    window.removeEventListener("online", this.onOnline);
    this.clearTimers();
    this.socket?.close(1000, "signed out");
    this.socket = null;
    for (const item of [...this.outbox, ...this.inFlight.values()]) item.reject(new ApiError(0, "signed_out", "Signed out."));
    this.outbox.length = 0;
    this.inFlight.clear();
  }

  /// Sends a frame and waits for its `ack` (its data) or `error`. Fails at once while disconnected.
  request<T = any>(type: string, data: Record<string, unknown>): Promise<T> {
    if (!this.isReady || !this.socket) return Promise.reject(new ApiError(0, "disconnected", "Not connected."));
    const ref = String(this.nextRef++);
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(ref, { resolve, reject });
      this.socket!.send(JSON.stringify({ type, data, ref }));
    });
  }

  /// Sends a frame that needs no answer; dropped while disconnected (typing, read marks).
  notify(type: string, data: Record<string, unknown>): void {
    if (this.isReady && this.socket) this.socket.send(JSON.stringify({ type, data }));
  }

  /// Sends a message now or, while disconnected, as soon as the socket is back.
  sendMessage(clientId: string, data: Record<string, unknown>): Promise<Message> {
    return new Promise((resolve, reject) => {
      const item = { clientId, data: { ...data, client_id: clientId }, resolve, reject };
      this.outbox.push(item);
      this.flushOutbox();
    });
  }

  /// Drops a message still waiting in the outbox (a failed one the person discarded).
  discard(clientId: string): void {
    const index = this.outbox.findIndex((item) => item.clientId === clientId);
    if (index >= 0) this.outbox.splice(index, 1);
  }

  /// Closes the socket and connects again now (after the network came back, or a silence).
  reconnectNow(): void {
    if (this.stopped) return;
    this.attempt = 0;
    this.dropSocket();
    this.open();
  }

  private open(): void {
    if (this.stopped || this.socket) return;
    this.clearReconnect();
    this.events.status("Connecting…");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/ws?token=${encodeURIComponent(this.token())}`);
    this.socket = socket;
    let accepted = false;
    socket.onmessage = (event) => {
      if (socket !== this.socket) return;
      this.lastFrameAt = Date.now();
      let frame: Frame;
      try {
        frame = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (frame.type === "ready") {
        accepted = true;
        this.onReady(frame);
      } else {
        this.onFrame(frame);
      }
    };
    socket.onclose = (event) => {
      if (socket !== this.socket) return;
      this.dropSocket();
      if (event.code === 4001) {
        this.events.sessionEnded();
        return;
      }
      if (!accepted) this.events.refused();
      this.scheduleReconnect();
    };
  }

  private onReady(frame: Frame): void {
    this.isReady = true;
    this.attempt = 0;
    this.events.status("Connected");
    this.startPings();
    if (this.lastEventId !== null) this.notify("resume", { last_event_id: this.lastEventId });
    this.events.ready(frame);
    // What was on its way when the socket dropped goes again, in order, before anything new.
    this.outbox.unshift(...this.inFlight.values());
    this.inFlight.clear();
    this.flushOutbox();
  }

  private onFrame(frame: Frame): void {
    if (frame.event_id !== undefined && (this.lastEventId === null || Number(frame.event_id) > Number(this.lastEventId))) {
      this.lastEventId = frame.event_id;
    }
    if (frame.ref !== undefined && (frame.type === "ack" || frame.type === "error")) {
      const waiting = this.waiting.get(frame.ref);
      const item = this.inFlight.get(frame.ref);
      this.waiting.delete(frame.ref);
      this.inFlight.delete(frame.ref);
      const error = frame.type === "error" ? new ApiError(400, frame.data?.code ?? "error", frame.data?.message ?? "The server refused that.") : null;
      const target = waiting ?? item;
      if (target) error ? target.reject(error) : target.resolve(frame.data);
      return;
    }
    if (frame.type === "pong") return;
    this.events.frame(frame);
  }

  private flushOutbox(): void {
    while (this.isReady && this.socket && this.outbox.length > 0) {
      const item = this.outbox.shift()!;
      const ref = `m${this.nextRef++}`;
      this.inFlight.set(ref, item);
      this.socket.send(JSON.stringify({ type: "send_message", data: item.data, ref }));
    }
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    this.isReady = false;
    this.stopPings();
    if (socket) {
      socket.onmessage = null;
      socket.onclose = null;
      socket.close();
    }
    for (const waiting of this.waiting.values()) waiting.reject(new ApiError(0, "disconnected", "The connection dropped."));
    this.waiting.clear();
    if (!this.stopped) this.events.status("Disconnected");
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer !== null) return;
    if (!navigator.onLine) return; // `online` reconnects
    const delay = reconnectDelay(this.attempt++, Math.random());
    this.reconnectTimer = window.setTimeout(() => {
      this.reconnectTimer = null;
      this.open();
    }, delay);
  }

  private startPings(): void {
    this.stopPings();
    this.pingTimer = window.setInterval(() => {
      if (Date.now() - this.lastFrameAt > silenceLimitMs) {
        this.dropSocket();
        this.scheduleReconnect();
        return;
      }
      this.notify("ping", {});
    }, pingEveryMs);
  }

  private stopPings(): void {
    if (this.pingTimer !== null) window.clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  private clearReconnect(): void {
    if (this.reconnectTimer !== null) window.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private clearTimers(): void {
    this.clearReconnect();
    this.stopPings();
  }

  private readonly onOffline = () => {
    this.dropSocket();
    this.clearReconnect();
  };

  private readonly onOnline = () => this.reconnectNow();
}
