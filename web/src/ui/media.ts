// Attachments are served to their room's members only, so the browser cannot fetch them by URL
// alone (an <img src> sends no bearer token): they are fetched with the token and shown from
// object URLs. Images load when they come near the viewport; the newest few hundred stay cached.
import { t } from "../i18n/i18n";
import { openDialog } from "./dialog";
import { h } from "./dom";

const cacheLimit = 300;

export class MediaLoader {
  private readonly cache = new Map<string, Promise<string>>();
  private readonly observer: IntersectionObserver;

  constructor(private readonly token: () => string | null) {
    this.observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          const image = entry.target as HTMLImageElement;
          this.observer.unobserve(image);
          const source = image.dataset.source;
          if (source) this.objectURL(source).then((url) => (image.src = url), () => image.classList.add("failed"));
        }
      },
      { rootMargin: "800px 0px" },
    );
  }

  /// Shows `source` in `image` once the image nears the viewport.
  show(image: HTMLImageElement, source: string): void {
    image.dataset.source = source;
    this.observer.observe(image);
  }

  /// Saves the file under its name.
  async download(source: string, filename: string): Promise<void> {
    const link = document.createElement("a");
    link.href = await this.objectURL(source);
    link.download = filename;
    link.click();
  }

  /// The full-size image in a dialog, with a way to save it.
  view(source: string, filename: string): void {
    const dialog = openDialog(filename);
    const image = h("img", { alt: filename, className: "full-image" });
    const save = h("button", { type: "button", onclick: () => void this.download(source, filename) }, t("media.download"));
    dialog.body.append(image, h("div", { className: "dialog-actions" }, save));
    dialog.element.classList.add("viewer");
    this.objectURL(source).then((url) => (image.src = url), () => image.replaceWith(h("p", { role: "alert" }, t("media.cannotShow"))));
  }

  objectURL(source: string): Promise<string> {
    let url = this.cache.get(source);
    if (url) {
      // Most recently used last: eviction takes the oldest.
      this.cache.delete(source);
      this.cache.set(source, url);
      return url;
    }
    url = this.fetch(source);
    this.cache.set(source, url);
    url.catch(() => this.cache.delete(source));
    while (this.cache.size > cacheLimit) {
      const [oldest, evicted] = this.cache.entries().next().value as [string, Promise<string>];
      this.cache.delete(oldest);
      evicted.then((objectURL) => URL.revokeObjectURL(objectURL), () => {});
    }
    return url;
  }

  private async fetch(source: string): Promise<string> {
    const token = this.token();
    const reply = await fetch(source, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    if (!reply.ok) throw new Error(`attachment: ${reply.status}`);
    return URL.createObjectURL(await reply.blob());
  }
}
