// Attachments are served to their room's members only, so the browser cannot fetch them by URL
// alone (an <img src> sends no bearer token): they are fetched with the token and shown from
// object URLs. Images load when they come near the viewport; the newest few hundred stay cached.
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

  /// Opens the file: images in a new tab, anything else saved under its name.
  async open(source: string, filename: string, inline: boolean): Promise<void> {
    const url = await this.objectURL(source);
    if (inline) {
      window.open(url, "_blank", "noopener");
      return;
    }
    const link = document.createElement("a");
    link.href = url;
    link.download = filename;
    link.click();
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
