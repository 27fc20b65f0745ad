// Calls as the app keeps them (issue 20): each room's live call from the socket's frames
// (`call_ringing`, `call_updated`, `call_ended`), the call ringing this user (the "Incoming
// call" dialog, in every tab until one answers), and the one call this tab is in (its
// `CallSession`). Signalling frames go to that session. Views listen for changes.
import type { ApiClient } from "./api/client";
import type { Call, Frame, Room, TurnCredentials } from "./api/types";
import { CallSession } from "./call-session";
import type { Connection } from "./realtime/connection";
import { isLive, joinedIds, ringsFor } from "./state/call";
import type { Store } from "./state/store";

export class Calls {
  /// Per room, its ringing or active call.
  private readonly live = new Map<string, Call>();
  private readonly listeners = new Set<() => void>();
  /// The call this tab is in, if any.
  session: CallSession | null = null;
  /// The call being placed or answered here, before its session exists (a second click waits).
  private joining = false;
  private turn: { credentials: TurnCredentials; until: number } | null = null;

  constructor(
    private readonly api: ApiClient,
    private readonly connection: Connection,
    private readonly store: Store,
    private readonly relayOnly: () => boolean,
  ) {}

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /// The room's live call, if any.
  call(roomId: string): Call | undefined {
    return this.live.get(roomId);
  }

  /// A call ringing this user that this tab is not in: the one the dialog shows.
  get incoming(): Call | undefined {
    return [...this.live.values()].find((call) => ringsFor(call, this.store.me.id) && call.id !== this.session?.call.id);
  }

  /// The room's call as the service has it: asked when the room opens (frames keep it after).
  async loadRoom(roomId: string): Promise<void> {
    const { call } = await this.api.get<{ call: Call | null }>(`/rooms/${roomId}/calls`);
    if (call) this.remember(call);
  }

  /// "Start voice call" / "Start video call".
  async start(room: Room, kind: Call["kind"]): Promise<void> {
    await this.enter(kind, async () => this.connection.request<Call>("call_invite", { room_id: room.id, kind }));
  }

  async accept(call: Call): Promise<void> {
    await this.enter(call.kind, async () => this.connection.request<Call>("call_accept", { call_id: call.id }));
    // The one who joins offers to everyone already in the call.
    const session = this.session;
    if (!session) return;
    for (const userId of joinedIds(session.call)) if (userId !== this.store.me.id) await session.connectTo(userId);
  }

  async decline(call: Call): Promise<void> {
    this.remember(await this.connection.request<Call>("call_decline", { call_id: call.id }));
  }

  async hangUp(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.leaveSession();
    this.remember(await this.connection.request<Call>("call_hangup", { call_id: session.call.id }));
  }

  onFrame(frame: Frame): void {
    const data = frame.data ?? {};
    switch (frame.type) {
      case "call_ringing":
      case "call_updated":
      case "call_ended":
        this.remember(data.call as Call);
        break;
      case "call_offer":
      case "call_answer":
      case "call_ice":
      case "call_mute":
        if (this.session && data.call_id === this.session.call.id) {
          this.session.onSignal(frame.type, String(data.from_user_id), data.data).catch(() => {});
        }
        break;
    }
  }

  stop(): void {
    this.leaveSession();
  }

  /// Places or answers a call: media first (a call that cannot have them is not joined), then
  /// the call itself, then the session.
  private async enter(kind: Call["kind"], join: () => Promise<Call>): Promise<void> {
    if (this.session || this.joining) return;
    this.joining = true;
    this.changed();
    let local: MediaStream | null = null;
    try {
      const [media, configuration] = await Promise.all([CallSession.media(kind), this.configuration()]);
      local = media;
      const call = await join();
      this.session = new CallSession(call, local, configuration, this.connection, () => this.changed());
      this.remember(call);
    } catch (error) {
      for (const track of local?.getTracks() ?? []) track.stop();
      throw error;
    } finally {
      this.joining = false;
      this.changed();
    }
  }

  /// ICE servers from the calls service's TURN credentials, fetched again once half their life
  /// is gone; with "Always relay calls", relay candidates only.
  private async configuration(): Promise<RTCConfiguration> {
    if (!this.turn || Date.now() > this.turn.until) {
      const credentials = await this.api.get<TurnCredentials>("/calls/turn-credentials");
      this.turn = { credentials, until: Date.now() + (credentials.ttl_seconds * 1000) / 2 };
    }
    const { uris, username, credential } = this.turn.credentials;
    return { iceServers: [{ urls: uris, username, credential }], iceTransportPolicy: this.relayOnly() ? "relay" : "all" };
  }

  private remember(call: Call): void {
    const known = this.live.get(call.room_id);
    // A late frame of an older call does not replace the room's newer one.
    if (known && known.id !== call.id && Date.parse(known.created_at) > Date.parse(call.created_at)) return;
    if (isLive(call)) this.live.set(call.room_id, call);
    else this.live.delete(call.room_id);
    if (this.session?.call.id === call.id) {
      const stillIn = isLive(call) && joinedIds(call).includes(this.store.me.id);
      if (stillIn) this.session.update(call);
      else this.leaveSession();
    }
    this.changed();
  }

  private leaveSession(): void {
    const session = this.session;
    this.session = null;
    session?.close();
    this.changed();
  }
}
