import Foundation
import Testing

@testable import MessagesService

/// The tags the renderer may produce: formatting without attributes, mention spans, and links
/// whose only target is an http(s) or mailto URL.
enum MarkupRules {
    nonisolated(unsafe) static let allowedTag =
        /<\/?(strong|em|del|code|pre|br|span|a)( class="mention"| href="(https?:|mailto:)[^"<>]*" rel="noopener noreferrer nofollow" target="_blank")?>/
}

@Suite struct MarkdownRendererTests {
    @Test(arguments: [
        ("**bold** and *it* and _it_ and ~~gone~~", "<strong>bold</strong> and <em>it</em> and <em>it</em> and <del>gone</del>"),
        ("`<b>` code", "<code>&lt;b&gt;</code> code"),
        ("```swift\nlet a = \"<x>\"\n```", "<pre><code>let a = &quot;&lt;x&gt;&quot;</code></pre>"),
        ("hi @alice!", #"hi <span class="mention">@alice</span>!"#),
        ("mail a@b.co", "mail a@b.co"),
        ("line\nbreak", "line<br>break"),
        ("see https://x.io/a?b=1&c=2.", #"see <a href="https://x.io/a?b=1&amp;c=2" rel="noopener noreferrer nofollow" target="_blank">https://x.io/a?b=1&amp;c=2</a>."#),
        ("[docs](mailto:a@b.co)", #"<a href="mailto:a@b.co" rel="noopener noreferrer nofollow" target="_blank">docs</a>"#),
        ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
        ("2 < 3 & 'q'", "2 &lt; 3 &amp; &#39;q&#39;"),
    ])
    func rendersTheSupportedMarkdown(source: String, html: String) {
        #expect(MarkdownRenderer.html(source) == html)
    }

    @Test(arguments: [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[a](javascript:alert(1)) [b](data:text/html,<script>) [c](vbscript:x) [d](JaVaScRiPt:alert(1))",
        #"[x](https://ok" onmouseover="alert(1))"#,
        "<svg/onload=alert(1)>",
        "**<iframe src=//evil>**",
        "`</code><script>x</script>`",
        "```\n</pre><script>x</script>\n```",
        "https://a.io/<script>",
        #"<a href="https://x" onclick="alert(1)">x</a>"#,
    ])
    func scriptCannotGetThrough(source: String) {
        let html = MarkdownRenderer.html(source)
        for tag in html.matches(of: /<[^>]*>/) {
            #expect(String(tag.output).wholeMatch(of: MarkupRules.allowedTag) != nil, "\(tag.output) in \(html)")
        }
        #expect(!html.contains("href=\"javascript") && !html.lowercased().contains("href=\"data:"))
    }

    @Test func mentionsOutsideCodeAreFound() {
        let mentions = Mentions(in: "@Alice and @bob, `@carol` and ```\n@dave\n``` and @here, mail x@erin.io, @alice again")
        #expect(mentions.usernames == ["alice", "bob"])
        #expect(mentions.room)
    }
}
