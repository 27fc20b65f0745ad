// The call on screen (UI.md "Calls and games"): region "Call", a column of the app's shell so it
// stays while the person moves between rooms, with a group per participant (named by their display
// name: video or initials, a muted mark, status "Call quality"), the timer, and buttons "Mute" /
// "Unmute", "Camera off" / "Camera on", "Share screen", "Hang up". And the dialog "Incoming
// call" with "Accept" and "Decline", which rings until this person answers in any tab.
import { describeError } from "../api/client";
import type { CallSession } from "../call-session";
import type { Calls } from "../calls";
import { t } from "../i18n/i18n";
import { formatDuration, type CallQuality } from "../state/call";
import type { Store } from "../state/store";
import { openDialog, type Dialog } from "./dialog";
import { roomTitle } from "./room-view";
import { h, replaceChildren } from "./dom";

interface Tile {
  element: HTMLElement;
  video: HTMLVideoElement;
  muted: HTMLElement;
  quality: HTMLElement;
}

const worstFirst: CallQuality[] = ["poor", "fair", "good"];

export class CallDock {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly timer: HTMLElement;
  private readonly note: HTMLElement;
  private readonly tiles = new Map<string, Tile>();
  private readonly grid: HTMLElement;
  private readonly muteButton: HTMLButtonElement;
  private readonly cameraButton: HTMLButtonElement;
  private readonly shareButton: HTMLButtonElement;
  private clock: number | null = null;

  constructor(
    private readonly calls: Calls,
    private readonly store: Store,
    private readonly failed: (error: unknown) => void,
  ) {
    this.title = h("h2", {});
    this.timer = h("p", { role: "timer", "aria-label": t("call.duration"), className: "call-timer" }, formatDuration(0));
    this.note = h("p", { className: "call-note", "aria-live": "polite" });
    this.grid = h("div", { className: "call-tiles" });
    this.muteButton = h("button", { type: "button", onclick: () => this.run((session) => session.setMuted(session.audioOn)) });
    this.cameraButton = h("button", { type: "button", onclick: () => this.run((session) => session.setCamera(!session.videoOn)) });
    this.shareButton = h("button", { type: "button", "aria-pressed": "false", onclick: () => this.run((session) => (session.sharingScreen ? session.stopSharing() : session.shareScreen())) }, t("call.shareScreen"));
    const hangUp = h("button", { type: "button", className: "danger", onclick: () => this.calls.hangUp().catch(this.failed) }, t("call.hangUp"));
    this.element = h(
      "section",
      { className: "call-dock", "aria-label": t("call.region"), hidden: true },
      h("header", { className: "call-header" }, this.title, this.timer),
      this.note,
      this.grid,
      h("div", { className: "call-controls" }, this.muteButton, this.cameraButton, this.shareButton, hangUp),
    );
  }

  private run(action: (session: CallSession) => unknown): void {
    const session = this.calls.session;
    if (!session) return;
    Promise.resolve(action(session)).catch(this.failed);
  }

  /// Shows the call this tab is in as it stands now (or hides the dock).
  update(): void {
    const session = this.calls.session;
    this.element.hidden = !session;
    if (!session) {
      for (const tile of this.tiles.values()) tile.video.srcObject = null;
      this.tiles.clear();
      replaceChildren(this.grid);
      this.stopClock();
      return;
    }
    const call = session.call;
    const room = this.store.room(call.room_id);
    this.title.textContent = t(call.kind === "video" ? "call.videoIn" : "call.voiceIn", { room: room ? (room.type === "direct" ? roomTitle(room, this.store) : `#${room.name}`) : "" });
    const ringing = call.participants.filter((participant) => participant.state === "ringing").map((participant) => this.name(participant.user_id));
    this.note.textContent = ringing.length > 0 && call.status === "ringing" ? t("call.ringing", { names: ringing.join(", ") }) : "";
    this.muteButton.textContent = session.audioOn ? t("call.mute") : t("call.unmute");
    this.cameraButton.textContent = session.videoOn ? t("call.cameraOff") : t("call.cameraOn");
    this.shareButton.setAttribute("aria-pressed", String(session.sharingScreen));
    this.showTiles(session);
    this.tick();
    if (this.clock === null) this.clock = window.setInterval(() => this.tick(), 1000);
  }

  private showTiles(session: CallSession): void {
    const me = this.store.me.id;
    const present = [me, ...session.peers.keys()];
    for (const [userId, tile] of this.tiles) {
      if (!present.includes(userId)) {
        tile.video.srcObject = null;
        tile.element.remove();
        this.tiles.delete(userId);
      }
    }
    const qualities = [...session.peers.values()].map((peer) => peer.quality).filter((quality): quality is CallQuality => !!quality);
    for (const userId of present) {
      const tile = this.tiles.get(userId) ?? this.addTile(userId);
      const peer = session.peers.get(userId);
      const stream = peer ? peer.stream : session.preview;
      const showsVideo = peer ? peer.media.video && stream.getVideoTracks().some((track) => !track.muted) : session.videoOn || session.sharingScreen;
      if (peer && tile.video.srcObject !== stream) tile.video.srcObject = stream;
      if (!peer && !sameTracks(tile.video.srcObject as MediaStream | null, stream)) tile.video.srcObject = stream;
      tile.element.classList.toggle("no-video", !showsVideo);
      tile.muted.hidden = peer ? peer.media.audio : session.audioOn;
      // Your own tile shows the worst of your connections: what the others get from you.
      const quality = peer ? peer.quality : (worstFirst.find((level) => qualities.includes(level)) ?? null);
      tile.quality.textContent = quality ? t(`call.quality.${quality}`) : "";
      tile.quality.dataset.quality = quality ?? "";
    }
  }

  private addTile(userId: string): Tile {
    const name = this.name(userId);
    const mine = userId === this.store.me.id;
    // Your own video is muted here: you would hear yourself otherwise.
    const video = h("video", { autoplay: true, playsInline: true, muted: mine, className: "call-video" });
    video.muted = mine;
    const initials = h("div", { className: "call-initials", "aria-hidden": "true" }, name.slice(0, 1).toUpperCase());
    const muted = h("span", { className: "call-muted" }, t("call.muted"));
    const quality = h("span", { role: "status", "aria-label": t("call.quality"), className: "call-quality" });
    const element = h("figure", { role: "group", "aria-label": name, className: "call-tile" }, video, initials, h("figcaption", {}, h("span", {}, name), muted, quality));
    const tile = { element, video, muted, quality };
    this.tiles.set(userId, tile);
    if (mine) this.grid.prepend(element);
    else this.grid.append(element);
    return tile;
  }

  private tick(): void {
    const answered = this.calls.session?.call.answered_at;
    this.timer.textContent = formatDuration(answered ? (Date.now() - Date.parse(answered)) / 1000 : 0);
  }

  private stopClock(): void {
    if (this.clock !== null) window.clearInterval(this.clock);
    this.clock = null;
  }

  private name(userId: string): string {
    return this.store.user(userId)?.display_name ?? "?";
  }
}

function sameTracks(shown: MediaStream | null, wanted: MediaStream): boolean {
  const [a, b] = [shown?.getTracks() ?? [], wanted.getTracks()];
  return a.length === b.length && a.every((track, index) => track === b[index]);
}

/// The dialog "Incoming call" for the call ringing this user, open while it rings for them; a
/// soft tone repeats while it is open (when the browser lets the page play sound).
export class IncomingCall {
  private dialog: Dialog | null = null;
  private shown: string | null = null;
  /// Calls answered or dismissed here: their dialog does not come back.
  private readonly dismissed = new Set<string>();
  private tone: Ringtone | null = null;

  constructor(
    private readonly calls: Calls,
    private readonly store: Store,
    private readonly failed: (error: unknown) => void,
  ) {}

  update(): void {
    const call = this.calls.incoming;
    if (call?.id === this.shown) return;
    this.close();
    if (!call || this.dismissed.has(call.id)) return;
    this.shown = call.id;
    const caller = this.store.user(call.started_by)?.display_name ?? "?";
    const room = this.store.room(call.room_id);
    const where = room && room.type !== "direct" ? t("call.incomingIn", { room: `#${room.name}` }) : t("call.incomingDirect");
    this.dialog = openDialog(t("call.incoming"), () => {
      // Closed without an answer: this tab stops ringing; the call still rings elsewhere.
      if (this.shown) this.dismissed.add(this.shown);
      this.stopRinging();
    });
    const answer = (action: () => Promise<void>) => {
      this.dismissed.add(call.id);
      this.close();
      action().catch(this.failed);
    };
    this.dialog.body.append(
      h("p", { className: "incoming-caller" }, t(call.kind === "video" ? "call.incomingVideo" : "call.incomingVoice", { name: caller })),
      h("p", { className: "hint" }, where),
      h(
        "div",
        { className: "dialog-actions" },
        h("button", { type: "button", className: "danger", onclick: () => answer(() => this.calls.decline(call)) }, t("call.decline")),
        h("button", { type: "button", className: "primary", onclick: () => answer(() => this.calls.accept(call)) }, t("call.accept")),
      ),
    );
    this.tone = Ringtone.start();
  }

  private close(): void {
    const dialog = this.dialog;
    this.dialog = null;
    this.shown = null;
    this.stopRinging();
    dialog?.close();
  }

  private stopRinging(): void {
    this.tone?.stop();
    this.tone = null;
  }
}

/// Two short beeps every two seconds, made with Web Audio (no sound file to fetch).
class Ringtone {
  private constructor(
    private readonly context: AudioContext,
    private readonly timer: number,
  ) {}

  static start(): Ringtone | null {
    try {
      const context = new AudioContext();
      const ring = () => {
        for (const offset of [0, 0.35]) {
          const oscillator = context.createOscillator();
          const gain = context.createGain();
          oscillator.frequency.value = 440;
          gain.gain.value = 0.08;
          oscillator.connect(gain).connect(context.destination);
          oscillator.start(context.currentTime + offset);
          oscillator.stop(context.currentTime + offset + 0.25);
        }
      };
      ring();
      return new Ringtone(context, window.setInterval(ring, 2000));
    } catch {
      return null;
    }
  }

  stop(): void {
    window.clearInterval(this.timer);
    void this.context.close().catch(() => {});
  }
}

/// What went wrong placing, answering or changing a call: the browser's refusal of the
/// microphone, camera or screen is said plainly; the rest as any API error.
export function describeCallError(error: unknown): string {
  if (error instanceof DOMException && (error.name === "NotAllowedError" || error.name === "SecurityError")) return t("call.mediaDenied");
  if (error instanceof DOMException && (error.name === "NotFoundError" || error.name === "NotReadableError")) return t("call.mediaMissing");
  return describeError(error);
}
