// The region "Pong" of a room (UI.md "Calls and games"): the court as an image named "Pong
// court", drawn from the server's states with the ball carried on between them, the status
// "Score" ("Alice 3 – 1 Bob"), who plays which side, and the result once the match ended.
// A player steers with Up/Down or W/S.
import type { GameMatch } from "../api/types";
import type { Games } from "../games";
import { t } from "../i18n/i18n";
import { ballAt, directionFor, paddleKeys, scoreLine, sideOf } from "../state/pong";
import type { Store } from "../state/store";
import { h, isTyping } from "./dom";

export class PongPanel {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly score: HTMLElement;
  private readonly note: HTMLElement;
  private readonly closeButton: HTMLButtonElement;
  private readonly held = new Set<string>();
  private animation: number | null = null;
  private match: GameMatch | undefined;

  constructor(
    private readonly roomId: string,
    private readonly games: Games,
    private readonly store: Store,
  ) {
    this.canvas = h("canvas", { role: "img", "aria-label": t("pong.court"), width: "800", height: "600", className: "pong-court", tabindex: "0" });
    this.score = h("p", { role: "status", "aria-label": t("pong.score"), className: "pong-score" });
    this.note = h("p", { className: "pong-note" });
    this.closeButton = h("button", { type: "button", hidden: true, onclick: () => this.games.close(this.roomId) }, t("pong.close"));
    this.element = h("section", { className: "side-panel pong", "aria-label": t("pong.title"), hidden: true }, h("h2", {}, t("pong.title")), this.score, this.canvas, this.note, this.closeButton);
    window.addEventListener("keydown", this.onKey);
    window.addEventListener("keyup", this.onKey);
    window.addEventListener("blur", this.onBlur);
  }

  destroy(): void {
    window.removeEventListener("keydown", this.onKey);
    window.removeEventListener("keyup", this.onKey);
    window.removeEventListener("blur", this.onBlur);
    if (this.animation !== null) cancelAnimationFrame(this.animation);
  }

  /// Shows the room's match as it stands now (or nothing without one).
  update(): void {
    const match = this.games.match(this.roomId);
    const started = match && match.id !== this.match?.id;
    this.match = match;
    this.element.hidden = !match;
    if (!match) return;
    const names = { left: this.name(match.players.left), right: this.name(match.players.right) };
    const state = this.games.state(match.id)?.state;
    this.score.textContent = scoreLine(names, match.status === "playing" && state ? state.score : match.score);
    const side = sideOf(match, this.store.me.id);
    this.note.textContent = match.status === "playing" ? (side ? t(`pong.youPlay.${side}`) : t("pong.watching")) : this.result(match, names);
    this.closeButton.hidden = match.status === "playing";
    if (started && side) this.canvas.focus({ preventScroll: true });
    if (this.animation === null) this.animation = requestAnimationFrame(this.draw);
  }

  private result(match: GameMatch, names: { left: string; right: string }): string {
    if (!match.winner_id) return t("pong.abandoned");
    const winner = match.winner_id === match.players.left ? names.left : names.right;
    return match.status === "forfeited" ? t("pong.wonByForfeit", { name: winner }) : t("pong.won", { name: winner });
  }

  private name(userId: string): string {
    return this.store.user(userId)?.display_name ?? "?";
  }

  private readonly draw = (): void => {
    this.animation = null;
    const match = this.match;
    if (!match || this.element.hidden) return;
    const received = this.games.state(match.id);
    const context = this.canvas.getContext("2d");
    if (context && received) {
      const { state } = received;
      const court = state.court;
      this.canvas.width = court.width;
      this.canvas.height = court.height;
      const styles = getComputedStyle(this.element);
      context.fillStyle = styles.getPropertyValue("--pong-court").trim() || "#10202c";
      context.fillRect(0, 0, court.width, court.height);
      context.fillStyle = styles.getPropertyValue("--pong-ink").trim() || "#f4f7fa";
      for (let y = 0; y < court.height; y += 30) context.fillRect(court.width / 2 - 2, y, 4, 16);
      const paddleX = { left: court.paddle_inset, right: court.width - court.paddle_inset - court.paddle_width };
      for (const side of ["left", "right"] as const) {
        context.fillRect(paddleX[side], state.paddles[side] - court.paddle_height / 2, court.paddle_width, court.paddle_height);
      }
      const ball = ballAt(state, performance.now() - received.at);
      context.fillRect(ball.x - court.ball_size / 2, ball.y - court.ball_size / 2, court.ball_size, court.ball_size);
    }
    if (match.status === "playing") this.animation = requestAnimationFrame(this.draw);
  };

  private readonly onKey = (event: KeyboardEvent): void => {
    const match = this.match;
    if (!match || match.status !== "playing" || !sideOf(match, this.store.me.id) || !paddleKeys.has(event.key)) return;
    // Typing W or S in the composer or any field is typing, not steering.
    if (isTyping(event.target)) return;
    if (event.type === "keydown") this.held.add(event.key);
    else this.held.delete(event.key);
    event.preventDefault();
    this.games.steer(match, directionFor(this.held));
  };

  private readonly onBlur = (): void => {
    this.held.clear();
    if (this.match?.status === "playing" && sideOf(this.match, this.store.me.id)) this.games.steer(this.match, "none");
  };
}
