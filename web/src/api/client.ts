// The REST client: JSON in and out, the bearer token on every call, and API.md's error body
// turned into an ApiError the views can show.
import type { MessageKey } from "../i18n/en";
import { language, t } from "../i18n/i18n";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

export class ApiClient {
  /// `token` gives the current token (or null when signed out); `onSessionEnded` is called on a
  /// 401 to a signed-in call: the token expired or was revoked.
  constructor(
    private readonly token: () => string | null,
    private readonly onSessionEnded: () => void,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>("GET", path);
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("POST", path, body);
  }
  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("PUT", path, body);
  }
  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("PATCH", path, body);
  }
  delete<T>(path: string): Promise<T> {
    return this.request<T>("DELETE", path);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    const token = this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let reply: Response;
    try {
      reply = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, "network_error", t("api.networkError"));
    }
    return this.read<T>(reply, token !== null);
  }

  /// Uploads one file as multipart form data, reporting progress (0-1) as it goes.
  upload<T>(path: string, file: File, onProgress: (fraction: number) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open("POST", path);
      const token = this.token();
      if (token) request.setRequestHeader("Authorization", `Bearer ${token}`);
      request.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      };
      request.onerror = () => reject(new ApiError(0, "network_error", t("api.uploadInterrupted")));
      request.onload = () => {
        const reply = new Response(request.responseText, {
          status: request.status,
          headers: { "Retry-After": request.getResponseHeader("Retry-After") ?? "" },
        });
        this.read<T>(reply, token !== null).then(resolve, reject);
      };
      const form = new FormData();
      form.append("file", file, file.name);
      request.send(form);
    });
  }

  private async read<T>(reply: Response, signedIn: boolean): Promise<T> {
    if (reply.status === 204) return undefined as T;
    const text = await reply.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (reply.ok) return json as T;
    const error = json?.error;
    const retryAfter = Number(reply.headers.get("Retry-After")) || null;
    const apiError = new ApiError(
      reply.status,
      error?.code ?? "http_" + reply.status,
      error?.message ?? t("api.serverAnswered", { status: String(reply.status) }),
      error?.details?.field ?? null,
      retryAfter,
    );
    if (reply.status === 401 && signedIn && apiError.code === "unauthorized") this.onSessionEnded();
    throw apiError;
  }
}

/// API.md's codes in the app's words, for languages other than English: the API's messages are
/// English. A field's validation message and unknown codes stay the API's.
const codeMessages: Record<string, MessageKey> = {
  unauthorized: "api.code.unauthorized",
  forbidden: "api.code.forbidden",
  not_a_member: "api.code.notAMember",
  muted: "api.code.muted",
  blocked: "api.code.blocked",
  banned: "api.code.banned",
  wrong_password: "api.code.wrongPassword",
  edit_window_closed: "api.code.editWindowClosed",
  username_taken: "api.code.usernameTaken",
  already_member: "api.code.alreadyMember",
  owner_must_transfer: "api.code.ownerMustTransfer",
  invite_expired: "api.code.inviteExpired",
  invite_revoked: "api.code.inviteRevoked",
  invite_used_up: "api.code.inviteUsedUp",
  totp_required: "api.code.totpRequired",
  invalid_totp: "api.code.invalidTotp",
  totp_already_enabled: "api.code.totpAlreadyEnabled",
  reaction_exists: "api.code.reactionExists",
  not_found: "api.code.notFound",
  bad_request: "api.code.badRequest",
};

/// What a person reads for an error: the API's own message, except where a plainer one helps
/// (or the API's English would not do).
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return t("api.somethingWrong");
  switch (error.code) {
    case "rate_limited":
      return error.retryAfterSeconds === null ? t("api.rateLimitedSoon") : t("api.rateLimited", { count: error.retryAfterSeconds });
    case "file_too_large":
      return t("api.fileTooLarge");
    case "image_too_large":
      return t("api.imageTooLarge");
    case "unsupported_media_type":
      return t("api.unsupportedMediaType");
    case "malware_detected":
      return t("api.malwareDetected");
    case "scanner_unavailable":
    case "storage_unavailable":
    case "service_unavailable":
    case "upstream_timeout":
      return t("api.unavailable");
    default: {
      const own = codeMessages[error.code];
      return own && language() !== "en" ? t(own) : error.message;
    }
  }
}
