// The socket client against a scripted stand-in for the browser's WebSocket and timers.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

class FakeSocket {
  static all: FakeSocket[] = [];
  sent: any[] = [];
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(text: string) {
    this.sent.push(JSON.parse(text));
  }
  close() {}
  // The server's side.
  frame(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code = 1006) {
    this.onclose?.({ code });
  }
}

const timers: { due: () => void; delay: number }[] = [];
const listeners = new Map<string, () => void>();
Object.assign(globalThis, {
  WebSocket: FakeSocket,
  location: { protocol: "http:", host: "parley.test" },
  navigator: { onLine: true },
  window: {
    addEventListener: (type: string, listener: () => void) => listeners.set(type, listener),
    removeEventListener: (type: string) => listeners.delete(type),
    setTimeout: (due: () => void, delay: number) => timers.push({ due, delay }) - 1,
    clearTimeout: () => {},
    setInterval: () => 0,
    clearInterval: () => {},
  },
});

const { Connection } = await import("../src/realtime/connection");

function connect() {
  const seen: { statuses: string[]; frames: any[]; ended: number } = { statuses: [], frames: [], ended: 0 };
  const connection = new Connection(() => "token one", {
    status: (status) => seen.statuses.push(status),
    frame: (frame) => seen.frames.push(frame),
    ready: () => {},
    sessionEnded: () => (seen.ended += 1),
    refused: () => {},
  });
  connection.start();
  return { connection, seen, socket: () => FakeSocket.all.at(-1)! };
}

beforeEach(() => {
  FakeSocket.all = [];
  timers.length = 0;
});

test("the socket carries the token, and is Connected once the server is ready", () => {
  const { seen, socket } = connect();
  assert.equal(socket().url, "ws://parley.test/ws?token=token%20one");
  assert.deepEqual(seen.statuses, ["Connecting…"]);
  socket().frame({ type: "ready", data: {} });
  assert.deepEqual(seen.statuses, ["Connecting…", "Connected"]);
});

test("messages written while disconnected go once the socket is ready, in order, and resolve on their acks", async () => {
  const { connection, socket } = connect();
  const first = connection.sendMessage("c1", { room_id: "r", content: "one" });
  const second = connection.sendMessage("c2", { room_id: "r", content: "two" });
  assert.deepEqual(socket().sent, [], "nothing before ready");
  socket().frame({ type: "ready", data: {} });
  assert.deepEqual(socket().sent.map((f) => [f.type, f.data.client_id, f.data.content]), [["send_message", "c1", "one"], ["send_message", "c2", "two"]]);
  for (const frame of socket().sent) socket().frame({ type: "ack", ref: frame.ref, data: { id: `id-${frame.data.client_id}` } });
  assert.deepEqual(await Promise.all([first, second]), [{ id: "id-c1" }, { id: "id-c2" }]);
});

test("a message whose acknowledgement was lost with the socket goes again, with its client_id, after reconnecting", async () => {
  const { connection, socket, seen } = connect();
  socket().frame({ type: "ready", data: {} });
  const sent = connection.sendMessage("c1", { room_id: "r", content: "one" });
  const firstSocket = socket();
  assert.equal(firstSocket.sent.length, 1);
  firstSocket.frame({ type: "message_created", event_id: "41", data: {} });
  firstSocket.drop();
  assert.equal(seen.statuses.at(-1), "Disconnected");
  assert.equal(timers.length, 1, "a reconnection is scheduled");
  assert.ok(timers[0].delay >= 250 && timers[0].delay <= 500);
  timers[0].due();
  const secondSocket = socket();
  assert.notEqual(secondSocket, firstSocket);
  secondSocket.frame({ type: "ready", data: {} });
  assert.deepEqual(secondSocket.sent.map((f) => f.type), ["resume", "send_message"]);
  assert.deepEqual(secondSocket.sent[0].data, { last_event_id: "41" }, "resumes from the last event seen");
  assert.equal(secondSocket.sent[1].data.client_id, "c1");
  secondSocket.frame({ type: "ack", ref: secondSocket.sent[1].ref, data: { id: "m1" } });
  assert.deepEqual(await sent, { id: "m1" });
});

test("a refused message fails with the server's error and is not sent again", async () => {
  const { connection, socket } = connect();
  socket().frame({ type: "ready", data: {} });
  const sent = connection.sendMessage("c1", { room_id: "r", content: "one" });
  socket().frame({ type: "error", ref: socket().sent[0].ref, data: { code: "muted", message: "you are muted" } });
  await assert.rejects(sent, { code: "muted" });
  socket().drop();
  timers[0].due();
  socket().frame({ type: "ready", data: {} });
  assert.deepEqual(socket().sent, []);
});

test("a discarded message is not sent when the socket comes back", () => {
  const { connection, socket } = connect();
  void connection.sendMessage("c1", { room_id: "r", content: "one" }).catch(() => {});
  connection.discard("c1");
  socket().frame({ type: "ready", data: {} });
  assert.deepEqual(socket().sent, []);
});

test("a session that ended (close 4001) signs out instead of reconnecting", () => {
  const { socket, seen } = connect();
  socket().frame({ type: "ready", data: {} });
  socket().drop(4001);
  assert.equal(seen.ended, 1);
  assert.equal(timers.length, 0);
});

test("waits grow while reconnecting fails, and going offline waits for online", () => {
  const { socket } = connect();
  socket().drop();
  timers.at(-1)!.due();
  socket().drop();
  timers.at(-1)!.due();
  socket().drop();
  assert.deepEqual(timers.map((t) => t.delay >= [250, 500, 1000][timers.indexOf(t)]), [true, true, true]);
  assert.ok(timers[2].delay <= 2000);
  const before = FakeSocket.all.length;
  listeners.get("online")!();
  assert.equal(FakeSocket.all.length, before + 1, "online reconnects at once");
});

test("server frames reach the app; answers to its own requests do not", () => {
  const { socket, seen } = connect();
  socket().frame({ type: "ready", data: {} });
  socket().frame({ type: "pong" });
  socket().frame({ type: "user_typing", data: { room_id: "r", user_id: "b", typing: true } });
  assert.deepEqual(seen.frames.map((f) => f.type), ["user_typing"]);
});
