// Games as the app keeps them (issue 20's Pong): the invitations shown on `game` messages, each
// room's match, the latest state of a match being played, and what a player's keys send. Fed by
// REST and by the socket's frames (`game_invitation_updated`, `game_started`, `game_finished`,
// `pong_state`); views listen for changes of a room.
import type { ApiClient } from "./api/client";
import type { Frame, GameInvitation, GameMatch, PaddleDirection, PongState, Room } from "./api/types";
import type { Connection } from "./realtime/connection";
import { sideOf } from "./state/pong";
import type { Store } from "./state/store";

/// A state as it arrived: `at` is `performance.now()` then, for drawing between frames.
export interface ReceivedState {
  state: PongState;
  at: number;
}

/// A client repeats its input this often, so the server knows the player is there.
const heartbeatMs = 1000;

export class Games {
  private readonly invitations = new Map<string, GameInvitation>();
  private readonly loading = new Set<string>();
  /// Per room, the match on show: being played, or ended and not yet closed by the viewer.
  private readonly matches = new Map<string, GameMatch>();
  private readonly states = new Map<string, ReceivedState>();
  private readonly listeners = new Set<(roomId: string, stateOnly: boolean) => void>();
  private direction: PaddleDirection = "none";
  private sequence = 0;
  private heartbeat: number | null = null;

  constructor(
    private readonly api: ApiClient,
    private readonly connection: Connection,
    private readonly store: Store,
  ) {}

  /// `stateOnly`: only a match's state moved on (30 times a second): the court, not the log.
  listen(listener: (roomId: string, stateOnly: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(roomId: string, stateOnly = false): void {
    for (const listener of this.listeners) listener(roomId, stateOnly);
  }

  /// The invitation, when known; otherwise it is fetched and listeners hear of it.
  invitation(id: string): GameInvitation | undefined {
    const known = this.invitations.get(id);
    if (!known && !this.loading.has(id)) {
      this.loading.add(id);
      this.api.get<GameInvitation>(`/games/invitations/${id}`).then(
        (invitation) => this.setInvitation(invitation),
        () => this.loading.delete(id),
      );
    }
    return known;
  }

  match(roomId: string): GameMatch | undefined {
    return this.matches.get(roomId);
  }

  state(matchId: string): ReceivedState | undefined {
    return this.states.get(matchId);
  }

  /// The room's match being played, if any: asked when the room opens (frames keep it after).
  async loadRoom(roomId: string): Promise<void> {
    const reply = await this.api.get<{ invitations: GameInvitation[]; matches: GameMatch[] }>(`/rooms/${roomId}/games`);
    for (const invitation of reply.invitations) this.invitations.set(invitation.id, invitation);
    const playing = reply.matches[0];
    if (playing) this.showMatch(playing);
    else this.changed(roomId);
  }

  /// "Play Pong": invites the other person of a direct room, or the whole of a group room.
  async invite(room: Room): Promise<void> {
    const other = room.type === "direct" ? this.store.members.get(room.id)?.find((member) => member.user.id !== this.store.me.id) : undefined;
    const invitation = await this.api.post<GameInvitation>(`/rooms/${room.id}/games`, { game: "pong", invitee_id: other?.user.id ?? null });
    this.setInvitation(invitation);
  }

  async accept(invitation: GameInvitation): Promise<void> {
    const reply = await this.api.post<{ invitation: GameInvitation; match: GameMatch }>(`/games/invitations/${invitation.id}/accept`);
    this.setInvitation(reply.invitation);
    this.showMatch(reply.match);
  }

  async decline(invitation: GameInvitation): Promise<void> {
    this.setInvitation(await this.api.post<GameInvitation>(`/games/invitations/${invitation.id}/decline`));
  }

  /// The viewer closed an ended match's court.
  close(roomId: string): void {
    const match = this.matches.get(roomId);
    if (!match || match.status === "playing") return;
    this.matches.delete(roomId);
    this.states.delete(match.id);
    this.changed(roomId);
  }

  /// The player's keys now: sent at once when they change, and repeated every second.
  steer(match: GameMatch, direction: PaddleDirection): void {
    if (direction === this.direction) return;
    this.direction = direction;
    this.sequence += 1;
    this.sendInput(match);
  }

  onFrame(frame: Frame): void {
    const data = frame.data ?? {};
    switch (frame.type) {
      case "game_invitation_updated":
        this.setInvitation(data.invitation as GameInvitation);
        break;
      case "game_started":
      case "game_finished":
        this.showMatch(data.match as GameMatch);
        break;
      case "pong_state": {
        const state = data as PongState;
        const match = this.matches.get(state.room_id);
        // A spectator who opened the room before the start frame came: fetch the match.
        if (!match || match.id !== state.match_id) {
          if (!this.loading.has(state.match_id)) {
            this.loading.add(state.match_id);
            this.api.get<GameMatch>(`/games/matches/${state.match_id}`).then((found) => this.showMatch(found), () => {});
          }
          return;
        }
        this.states.set(state.match_id, { state, at: performance.now() });
        this.changed(state.room_id, true);
        break;
      }
    }
  }

  private setInvitation(invitation: GameInvitation): void {
    this.loading.delete(invitation.id);
    this.invitations.set(invitation.id, invitation);
    this.changed(invitation.room_id);
  }

  private showMatch(match: GameMatch): void {
    this.loading.delete(match.id);
    const shown = this.matches.get(match.room_id);
    // An older match's late frame does not replace the one on show.
    if (shown && shown.id !== match.id && shown.status === "playing" && match.status !== "playing") return;
    this.matches.set(match.room_id, match);
    if (match.status === "playing" && sideOf(match, this.store.me.id)) this.startPlaying(match);
    else if (match.status !== "playing" && sideOf(match, this.store.me.id)) this.stopPlaying();
    this.changed(match.room_id);
  }

  private startPlaying(match: GameMatch): void {
    this.stopPlaying();
    this.direction = "none";
    this.sendInput(match);
    this.heartbeat = window.setInterval(() => this.sendInput(match), heartbeatMs);
  }

  private stopPlaying(): void {
    if (this.heartbeat !== null) window.clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private sendInput(match: GameMatch): void {
    this.connection.notify("pong_input", { match_id: match.id, direction: this.direction, seq: this.sequence });
  }

  stop(): void {
    this.stopPlaying();
  }
}
