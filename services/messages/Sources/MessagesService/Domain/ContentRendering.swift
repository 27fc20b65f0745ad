import MessageMarkup
import NIOPosix

/// A message's content rendered as HTML with its mentions, done before any transaction or lock is
/// taken. Long content is rendered on NIO's thread pool: the renderer is linear, but a long render
/// still holds its thread for a while (bench/renderbench), and the cooperative pool's few threads
/// serve every request of the service.
enum ContentRendering {
    /// Content longer than this (bytes) goes to the thread pool; a shorter render costs less than
    /// the hand-over.
    static let threadPoolThreshold = 4 * 1024

    static func render(_ content: String) async throws -> RenderedMarkdown {
        guard content.utf8.count > threadPoolThreshold else { return MarkdownRenderer.render(content) }
        return try await NIOThreadPool.singleton.runIfActive { MarkdownRenderer.render(content) }
    }
}
