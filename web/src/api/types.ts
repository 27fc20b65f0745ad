// The public API's shapes (API.md "Resources"), as the app uses them.

export type Presence = "online" | "away" | "busy" | "offline";

export interface User {
  id: string;
  username: string;
  display_name: string;
  avatar_url: string | null;
  status: Presence;
  status_message: string | null;
  created_at: string;
  last_seen_at: string | null;
  totp_enabled?: boolean;
}

export type RoomType = "public" | "private" | "direct";
export type Role = "owner" | "admin" | "member";

export interface Room {
  id: string;
  name: string;
  description: string | null;
  type: RoomType;
  created_by: string;
  created_at: string;
  last_message_at: string | null;
  member_count: number;
  has_password: boolean;
  my_role?: Role;
  unread_count?: number;
  /// The viewer's level (API.md "Notification level"), in `GET /rooms`.
  notification_level?: NotificationLevel;
}

export type NotificationLevel = "all" | "mentions" | "muted";

export interface Member {
  room_id: string;
  user: User;
  role: Role;
  joined_at: string;
  muted_until: string | null;
}

export interface Attachment {
  id: string;
  filename: string;
  size: number;
  mime_type: string;
  url: string;
  thumbnail_url: string | null;
  width: number | null;
  height: number | null;
}

export interface Reaction {
  emoji: string;
  count: number;
  me: boolean;
}

export interface Message {
  id: string;
  room_id: string;
  /// null for system messages ("Bob joined").
  sender: User | null;
  content: string;
  content_html: string;
  /// `game`: an invitation to play (`game_id`), posted for its sender by the games service.
  type: "text" | "image" | "file" | "system" | "game";
  parent_id: string | null;
  client_id: string | null;
  mention_ids: string[];
  reply_count: number;
  last_reply_at: string | null;
  created_at: string;
  edited_at: string | null;
  deleted: boolean;
  attachments: Attachment[];
  reactions: Reaction[];
  read_count: number;
  /// A `game` message's invitation; null for every other type.
  game_id?: string | null;
}

export interface MessagePage {
  messages: Message[];
  has_more: boolean;
}

export interface AuthReply {
  token: string;
  expires_at: string;
  user: User;
}

export interface Invite {
  code: string;
  room_id: string;
  expires_at: string | null;
  max_uses: number | null;
  uses: number;
  revoked: boolean;
  room?: Room;
}

/// A WebSocket frame (API.md "WebSocket /ws").
export interface Frame {
  type: string;
  data?: any;
  ref?: string;
  event_id?: string;
}

/// A notification (API.md "notification"); named so as not to hide the DOM's `Notification`.
export interface ParleyNotification {
  id: string;
  type: "mention" | "reply" | "room_invite" | "direct_message" | "message" | string;
  title: string;
  content: string;
  room_id: string | null;
  room_name: string | null;
  room_type: string | null;
  message_id: string | null;
  thread_id: string | null;
  actor: User | null;
  link: string;
  created_at: string;
  expires_at: string | null;
  read: boolean;
  read_at: string | null;
}

export interface NotificationPage {
  notifications: ParleyNotification[];
  unread_count: number;
  next_cursor: string | null;
}

/// An invitation to play (the games service's), shown on its `game` message.
export interface GameInvitation {
  id: string;
  room_id: string;
  game: "pong";
  inviter_id: string;
  /// null: anyone in the room but the inviter may accept.
  invitee_id: string | null;
  status: "pending" | "accepted" | "declined" | "cancelled" | "expired";
  created_at: string;
  expires_at: string;
  responded_at: string | null;
  match_id: string | null;
}

export interface Sides<T> {
  left: T;
  right: T;
}

export interface GameMatch {
  id: string;
  room_id: string;
  game: "pong";
  invitation_id: string;
  /// User ids by side: the inviter plays left.
  players: Sides<string>;
  score: Sides<number>;
  status: "playing" | "won" | "forfeited" | "abandoned";
  winner_id: string | null;
  started_at: string;
  ended_at: string | null;
}

export type PaddleDirection = "up" | "down" | "none";

/// `pong_state`: a match as the server stepped it (court units, y downwards).
export interface PongState {
  match_id: string;
  room_id: string;
  tick: number;
  sent_at: string;
  phase: "serving" | "playing" | "paused" | "over";
  ball: { x: number; y: number; vx: number; vy: number };
  paddles: Sides<number>;
  score: Sides<number>;
  inputs: Sides<{ direction: PaddleDirection; seq: number; connected: boolean }>;
  court: { width: number; height: number; paddle_width: number; paddle_height: number; paddle_inset: number; ball_size: number };
}

/// One person in a call (the calls service's): rung and not answered yet, in it, or out of it.
export interface CallParticipant {
  user_id: string;
  state: "ringing" | "joined" | "declined" | "left" | "missed";
  joined_at: string | null;
  left_at: string | null;
}

/// A voice or video call in a room; `answered_at` starts its duration.
export interface Call {
  id: string;
  room_id: string;
  kind: "voice" | "video";
  started_by: string;
  status: "ringing" | "active" | "ended" | "missed" | "declined";
  created_at: string;
  ring_until: string;
  answered_at: string | null;
  ended_at: string | null;
  duration_seconds: number | null;
  participants: CallParticipant[];
}

/// For RTCPeerConnection's iceServers: coturn credentials valid for `ttl_seconds`.
export interface TurnCredentials {
  username: string;
  credential: string;
  ttl_seconds: number;
  uris: string[];
}

/// A message its author wrote for later (the messages service's): `failed` says why in `failure`.
export interface ScheduledMessage {
  id: string;
  room_id: string;
  sender_id: string;
  content: string;
  parent_id: string | null;
  send_at: string;
  status: "scheduled" | "sent" | "failed";
  failure: string | null;
  message_id: string | null;
  created_at: string;
  updated_at: string;
}
