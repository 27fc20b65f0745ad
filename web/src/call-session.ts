// This browser's side of one call (issue 20): its microphone and camera, one RTCPeerConnection
// per other participant (a mesh), the signalling they exchange over the socket, and each
// connection's quality from getStats(). Whoever joins later makes the offers, so two ends never
// offer to each other at once. Every connection carries one audio and one video transceiver
// from the start, so the camera, its absence in a voice call and a shared screen are swapped in
// with replaceTrack, without negotiating again.
import type { Call } from "./api/types";
import type { Connection } from "./realtime/connection";
import { joinedIds, qualityBetween, sampleOf, type CallQuality, type StatsSample } from "./state/call";

/// What the other end said of its microphone and camera (`call_mute`).
export interface MediaState {
  audio: boolean;
  video: boolean;
}

/// One other participant: the connection to them, what they send, and how it is going.
export interface Peer {
  readonly connection: RTCPeerConnection;
  readonly stream: MediaStream;
  /// ICE candidates that came before the remote description they belong to.
  pendingCandidates: RTCIceCandidateInit[];
  sample: StatsSample | null;
  quality: CallQuality | null;
  media: MediaState;
}

/// How often each connection's statistics are read for its quality.
const statsEveryMs = 2000;

export class CallSession {
  readonly peers = new Map<string, Peer>();
  /// Candidates from someone whose offer has not come yet (signals may overtake one another).
  private readonly early = new Map<string, RTCIceCandidateInit[]>();
  private camera: MediaStreamTrack | null;
  private screen: MediaStreamTrack | null = null;
  private statsTimer: number;
  private closed = false;
  audioOn = true;

  constructor(
    public call: Call,
    readonly local: MediaStream,
    private readonly configuration: RTCConfiguration,
    private readonly socket: Connection,
    private readonly changed: () => void,
  ) {
    this.camera = local.getVideoTracks()[0] ?? null;
    this.statsTimer = window.setInterval(() => void this.readStats(), statsEveryMs);
  }

  /// Asks for the microphone (and the camera for a video call) first: a call that cannot have
  /// them is not placed or answered.
  static async media(kind: Call["kind"]): Promise<MediaStream> {
    return navigator.mediaDevices.getUserMedia({ audio: true, video: kind === "video" });
  }

  get videoOn(): boolean {
    return !!this.camera && this.camera.enabled;
  }

  get sharingScreen(): boolean {
    return this.screen !== null;
  }

  /// What goes out as video now: the shared screen, else the camera (null: nothing).
  private get outgoingVideo(): MediaStreamTrack | null {
    return this.screen ?? this.camera;
  }

  /// Offers a connection to `userId` (this browser joined after them).
  async connectTo(userId: string): Promise<void> {
    const peer = this.peer(userId, true);
    const offer = await peer.connection.createOffer();
    await peer.connection.setLocalDescription(offer);
    this.send("call_offer", userId, { type: offer.type, sdp: offer.sdp });
  }

  /// A signalling frame from another participant.
  async onSignal(type: string, from: string, data: any): Promise<void> {
    if (this.closed || !data) return;
    switch (type) {
      case "call_offer": {
        this.drop(from); // an offer again (they rejoined): start afresh
        const peer = this.peer(from, false);
        await peer.connection.setRemoteDescription({ type: "offer", sdp: String(data.sdp ?? "") });
        for (const transceiver of peer.connection.getTransceivers()) {
          transceiver.direction = "sendrecv";
          const kind = transceiver.receiver.track.kind;
          await transceiver.sender.replaceTrack(kind === "audio" ? this.local.getAudioTracks()[0] ?? null : this.outgoingVideo);
        }
        const answer = await peer.connection.createAnswer();
        await peer.connection.setLocalDescription(answer);
        this.send("call_answer", from, { type: answer.type, sdp: answer.sdp });
        await this.addPending(peer);
        break;
      }
      case "call_answer": {
        const peer = this.peers.get(from);
        if (!peer || peer.connection.signalingState !== "have-local-offer") return;
        await peer.connection.setRemoteDescription({ type: "answer", sdp: String(data.sdp ?? "") });
        await this.addPending(peer);
        break;
      }
      case "call_ice": {
        const candidate = data as RTCIceCandidateInit;
        const peer = this.peers.get(from);
        if (!peer) this.early.set(from, [...(this.early.get(from) ?? []), candidate]);
        else if (!peer.connection.remoteDescription) peer.pendingCandidates.push(candidate);
        else await peer.connection.addIceCandidate(candidate).catch(() => {});
        break;
      }
      case "call_mute": {
        const peer = this.peers.get(from);
        if (peer) peer.media = { audio: data.audio !== false, video: data.video !== false };
        this.changed();
        break;
      }
    }
  }

  /// The call as the service now has it: whoever is no longer in it is disconnected.
  update(call: Call): void {
    this.call = call;
    for (const userId of [...this.peers.keys()]) {
      if (!joinedIds(call).includes(userId)) this.drop(userId);
    }
    this.changed();
  }

  setMuted(muted: boolean): void {
    this.audioOn = !muted;
    for (const track of this.local.getAudioTracks()) track.enabled = !muted;
    this.announceMedia();
  }

  /// Turns the camera off (its track sends black) or on, asking for it if the call began without.
  async setCamera(on: boolean): Promise<void> {
    if (on && !this.camera) {
      const [track] = (await navigator.mediaDevices.getUserMedia({ video: true })).getVideoTracks();
      this.camera = track;
      this.local.addTrack(track);
      if (!this.screen) await this.sendVideo(track);
    }
    if (this.camera) this.camera.enabled = on;
    this.announceMedia();
  }

  /// Shares a screen (or window) instead of the camera until sharing ends, from here or from
  /// the browser's own "Stop sharing".
  async shareScreen(): Promise<void> {
    if (this.screen) return;
    const [track] = (await navigator.mediaDevices.getDisplayMedia({ video: true })).getVideoTracks();
    if (!track) return;
    this.screen = track;
    track.addEventListener("ended", () => void this.stopSharing());
    await this.sendVideo(track);
    this.announceMedia();
  }

  async stopSharing(): Promise<void> {
    if (!this.screen) return;
    this.screen.stop();
    this.screen = null;
    await this.sendVideo(this.camera);
    this.announceMedia();
  }

  /// The video on show for this browser's own tile.
  get preview(): MediaStream {
    return new MediaStream([this.outgoingVideo].filter((track): track is MediaStreamTrack => !!track));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    window.clearInterval(this.statsTimer);
    for (const userId of [...this.peers.keys()]) this.drop(userId);
    for (const track of this.local.getTracks()) track.stop();
    this.screen?.stop();
    this.changed();
  }

  /// The connection to `userId`, made if new: the offering side sets up both kinds of media; the
  /// answering side gets them from the offer.
  private peer(userId: string, offering: boolean): Peer {
    const existing = this.peers.get(userId);
    if (existing) return existing;
    const connection = new RTCPeerConnection(this.configuration);
    const peer: Peer = { connection, stream: new MediaStream(), pendingCandidates: this.early.get(userId) ?? [], sample: null, quality: null, media: { audio: true, video: true } };
    this.early.delete(userId);
    this.peers.set(userId, peer);
    connection.addEventListener("icecandidate", (event) => {
      if (event.candidate) this.send("call_ice", userId, event.candidate.toJSON());
    });
    connection.addEventListener("track", (event) => {
      peer.stream.addTrack(event.track);
      // A track is muted while nothing comes over it (a voice call's unused video): the view
      // shows initials then.
      event.track.addEventListener("mute", () => this.changed());
      event.track.addEventListener("unmute", () => this.changed());
      this.changed();
    });
    connection.addEventListener("connectionstatechange", () => this.changed());
    if (offering) {
      connection.addTransceiver(this.local.getAudioTracks()[0] ?? "audio", { direction: "sendrecv" });
      connection.addTransceiver(this.outgoingVideo ?? "video", { direction: "sendrecv" });
    }
    return peer;
  }

  private drop(userId: string): void {
    const peer = this.peers.get(userId);
    if (!peer) return;
    peer.connection.close();
    this.peers.delete(userId);
  }

  private async addPending(peer: Peer): Promise<void> {
    const pending = peer.pendingCandidates.splice(0);
    for (const candidate of pending) await peer.connection.addIceCandidate(candidate).catch(() => {});
  }

  private async sendVideo(track: MediaStreamTrack | null): Promise<void> {
    for (const peer of this.peers.values()) {
      for (const transceiver of peer.connection.getTransceivers()) {
        if (transceiver.receiver.track.kind === "video") await transceiver.sender.replaceTrack(track);
      }
    }
    this.changed();
  }

  private announceMedia(): void {
    this.socket.notify("call_mute", { call_id: this.call.id, to_user_id: null, data: { audio: this.audioOn, video: this.videoOn || this.sharingScreen } });
    this.changed();
  }

  private send(type: string, to: string, data: unknown): void {
    this.socket.notify(type, { call_id: this.call.id, to_user_id: to, data });
  }

  private async readStats(): Promise<void> {
    const video = this.call.kind === "video";
    for (const peer of this.peers.values()) {
      const sample = sampleOf((await peer.connection.getStats()).values(), performance.now());
      if (peer.sample) peer.quality = qualityBetween(peer.sample, sample, video && peer.media.video);
      peer.sample = sample;
    }
    this.changed();
  }
}
