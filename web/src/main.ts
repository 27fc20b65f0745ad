// Entry point: this browser's preferences (theme, font size, language), the session, and the
// route. Signed out, only `#/login` and `#/register` show; anything else is remembered and
// opened after signing in.
import { ApiClient } from "./api/client";
import type { AuthReply } from "./api/types";
import { App } from "./app";
import { setLanguage, t } from "./i18n/i18n";
import { applyPreferences, loadPreferences, uiLanguage } from "./state/preferences";
import { clearSession, loadSession, saveSession, type Session } from "./session";
import { registerView, signInView } from "./ui/auth-views";
import { replaceChildren } from "./ui/dom";
import { isPublicRoute, parseRoute } from "./ui/routes";

const root = document.getElementById("app")!;
const returnKey = "parley.return-to";
let session: Session | null = loadSession();
let app: App | null = null;

const api = new ApiClient(
  () => session?.token ?? null,
  () => endSession(true),
);

function signedIn(reply: AuthReply): void {
  session = saveSession(reply);
  const target = sessionStorage.getItem(returnKey) ?? "#/";
  sessionStorage.removeItem(returnKey);
  if (location.hash === target) route();
  else location.hash = target;
}

/// Back to signing in: after an expiry or revocation the place is kept to come back to.
function endSession(keepPlace: boolean): void {
  if (!session) return;
  if (keepPlace && !isPublicRoute(parseRoute(location.hash))) sessionStorage.setItem(returnKey, location.hash);
  session = null;
  clearSession();
  app?.stop();
  app = null;
  location.hash = "#/login";
  route();
}

async function signOut(): Promise<void> {
  // The socket closes first: the server's 4001 for this logout is then nobody's business.
  app?.stop();
  try {
    await api.post("/auth/logout");
  } catch {
    // Signed out here either way.
  }
  endSession(false);
}

function route(): void {
  const current = parseRoute(location.hash);
  if (!session) {
    if (!isPublicRoute(current)) {
      if (location.hash && location.hash !== "#/" && location.hash !== "#/login") sessionStorage.setItem(returnKey, location.hash);
      location.replace("#/login");
      return;
    }
    document.title = current.name === "register" ? t("main.registerTitle") : t("main.signInTitle");
    replaceChildren(root, current.name === "register" ? registerView(api, signedIn) : signInView(api, signedIn));
    return;
  }
  if (isPublicRoute(current)) {
    location.replace("#/");
    return;
  }
  if (!app) {
    app = new App(session, api, root, () => void signOut(), () => endSession(true));
    app.start();
  }
  void app.show(current);
}

async function start(): Promise<void> {
  const preferences = loadPreferences();
  applyPreferences(preferences);
  // A language other than English loads its file first: nothing shows in the wrong one.
  await setLanguage(uiLanguage(preferences)).catch(() => setLanguage("en"));
  window.addEventListener("hashchange", route);
  route();
}

void start();
