// The app's hash routes (UI.md "Routes"), parsed and written in one place.

export type Route =
  | { name: "login" }
  | { name: "register" }
  | { name: "home" }
  | { name: "room"; roomId: string; messageId: string | null }
  | { name: "thread"; roomId: string; rootId: string }
  | { name: "invite"; code: string }
  | { name: "search"; query: string }
  | { name: "settings" }
  | { name: "notFound" };

const id = "([^/?#]+)";

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "") || "/";
  const [pathname, queryString = ""] = path.split("?", 2);
  const query = new URLSearchParams(queryString);
  let match: RegExpMatchArray | null;
  if (pathname === "/" || pathname === "") return { name: "home" };
  if (pathname === "/login") return { name: "login" };
  if (pathname === "/register") return { name: "register" };
  if (pathname === "/settings") return { name: "settings" };
  if (pathname === "/search") return { name: "search", query: query.get("q") ?? "" };
  if ((match = pathname.match(new RegExp(`^/rooms/${id}/threads/${id}$`)))) {
    return { name: "thread", roomId: decodeURIComponent(match[1]), rootId: decodeURIComponent(match[2]) };
  }
  if ((match = pathname.match(new RegExp(`^/rooms/${id}$`)))) {
    return { name: "room", roomId: decodeURIComponent(match[1]), messageId: query.get("message") };
  }
  if ((match = pathname.match(new RegExp(`^/invite/${id}$`)))) return { name: "invite", code: decodeURIComponent(match[1]) };
  return { name: "notFound" };
}

export function routeHash(route: Route): string {
  switch (route.name) {
    case "login":
      return "#/login";
    case "register":
      return "#/register";
    case "home":
      return "#/";
    case "room":
      return `#/rooms/${encodeURIComponent(route.roomId)}` + (route.messageId ? `?message=${encodeURIComponent(route.messageId)}` : "");
    case "thread":
      return `#/rooms/${encodeURIComponent(route.roomId)}/threads/${encodeURIComponent(route.rootId)}`;
    case "invite":
      return `#/invite/${encodeURIComponent(route.code)}`;
    case "search":
      return `#/search?q=${encodeURIComponent(route.query)}`;
    case "settings":
      return "#/settings";
    case "notFound":
      return "#/not-found";
  }
}

/// Routes a signed-out person may see; every other one sends them to sign in first.
export function isPublicRoute(route: Route): boolean {
  return route.name === "login" || route.name === "register";
}
