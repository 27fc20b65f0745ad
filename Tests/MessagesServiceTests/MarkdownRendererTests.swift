import Foundation
import MessageMarkup
import ServiceKit
import Testing

/// The tags the renderer may produce: formatting without attributes, mention spans, and links
/// whose only target is an http(s) or mailto URL.
enum MarkupRules {
    nonisolated(unsafe) static let allowedTag =
        /<\/?(strong|em|del|code|pre|br|span|a)( class="mention"| href="(https?:|mailto:)[^"<>]*" rel="noopener noreferrer nofollow" target="_blank")?>/
}

@Suite struct MarkdownRendererTests {
    static func link(_ url: String, _ label: String? = nil) -> String {
        #"<a href="\#(url)" rel="noopener noreferrer nofollow" target="_blank">\#(label ?? url)</a>"#
    }

    @Test(arguments: [
        ("**bold** and *it* and _it_ and ~~gone~~", "<strong>bold</strong> and <em>it</em> and <em>it</em> and <del>gone</del>"),
        ("`<b>` code", "<code>&lt;b&gt;</code> code"),
        ("```swift\nlet a = \"<x>\"\n```", "<pre><code>let a = &quot;&lt;x&gt;&quot;</code></pre>"),
        ("hi @alice!", #"hi <span class="mention">@alice</span>!"#),
        ("mail a@b.co", "mail a@b.co"),
        ("line\nbreak", "line<br>break"),
        ("see https://x.io/a?b=1&c=2.", "see \(link("https://x.io/a?b=1&amp;c=2")).") ,
        ("[docs](mailto:a@b.co)", link("mailto:a@b.co", "docs")),
        ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
        ("2 < 3 & 'q'", "2 &lt; 3 &amp; &#39;q&#39;"),
    ])
    func rendersTheSupportedMarkdown(source: String, html: String) {
        #expect(MarkdownRenderer.render(source).html == html)
    }

    /// Where the regex renderer's output was accidental, what a Slack or Mattermost user expects.
    @Test(arguments: [
        // Formatting reaches across code, links and URLs, and nests properly.
        ("**a `b` c**", "<strong>a <code>b</code> c</strong>"),
        ("**[x](https://a.io)**", "<strong>\(link("https://a.io", "x"))</strong>"),
        ("*see https://a.io*", "<em>see \(link("https://a.io"))</em>"),
        ("***both***", "<em><strong>both</strong></em>"),
        ("__bold__", "<strong>bold</strong>"),
        ("~~~a~~~", "~<del>a</del>~"),
        ("_@alice_", #"<em><span class="mention">@alice</span></em>"#),
        // Inside words and between spaces, * and _ are text.
        ("snake_case_name and 2*3*4 and a * b * c", "snake_case_name and 2*3*4 and a * b * c"),
        // A URL keeps a ) that closes its own (, and leaves emphasis markers to the text.
        ("(https://en.wikipedia.org/wiki/Foo_(bar))", "(\(link("https://en.wikipedia.org/wiki/Foo_(bar)")))"),
        // Unclosed fences and empty code spans are text.
        ("```abc", "```abc"),
        ("a `` b", "a `` b"),
        ("CR\r\nLF", "CR<br>LF"),
        ("```\r\ncode\r\n```", "<pre><code>code</code></pre>"),
        // A name longer than a username is no mention; one after a letter neither.
        ("@a123456789012345678901 x@bob", "@a123456789012345678901 x@bob"),
    ])
    func rendersWhatChatUsersExpect(source: String, html: String) {
        #expect(MarkdownRenderer.render(source).html == html)
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
        // `<` with a combining mark is one character to Swift, but still a `<` byte to a browser.
        "<\u{338}script>alert(1)</script>",
        "[x](https://a.io/\"><script>)",
    ])
    func scriptCannotGetThrough(source: String) {
        let html = MarkdownRenderer.render(source).html
        for tag in html.matches(of: /<[^>]*>/) {
            #expect(String(tag.output).wholeMatch(of: MarkupRules.allowedTag) != nil, "\(tag.output) in \(html)")
        }
        #expect(!html.contains("href=\"javascript") && !html.lowercased().contains("href=\"data:"))
    }

    @Test func mentionsOutsideCodeAndURLsAreFound() {
        let mentions = Mentions(MarkdownRenderer.render(
            "@Alice and @bob, `@carol` and ```\n@dave\n``` and @here, mail x@erin.io, https://x.io/@frank, _@gina_, @alice again"))
        #expect(mentions.usernames == ["alice", "bob", "gina"])
        #expect(mentions.room)
    }

    /// Inputs that cost the regex renderer seconds: each, at 10,000 and 100,000 characters, renders
    /// as expected while the renderer's work (bytes and pending delimiters it looked at) stays
    /// within a small constant times the length. A quadratic algorithm cannot pass, whatever the
    /// machine; no clock is read.
    @Test(arguments: [10_000, 100_000])
    func craftedInputsRenderInLinearWork(length: Int) {
        // Each unit repeated: its HTML repeated, or (nil) the source as text.
        let cases: [(unit: String, html: String?)] = [
            ("**a ", nil), ("~~a ", nil), ("_a ", nil), ("*a ", nil), (" a**", nil), (" a~~", nil), ("[", nil), ("[a](", nil), ("[a](b ", nil),
            ("](", nil), ("``a", nil), ("@", nil), ("@a_", nil), ("<&>\"'", nil),
            ("**a** ", "<strong>a</strong> "),
            ("***a*** ", "<em><strong>a</strong></em> "),
            ("*a* _b_ ~~c~~ `d` @eve ", #"<em>a</em> <em>b</em> <del>c</del> <code>d</code> <span class="mention">@eve</span> "#),
            ("[a](https://x.io) ", Self.link("https://x.io", "a") + " "),
            ("```\nx\n```", "<pre><code>x</code></pre>"),
            ("a\n", "a<br>"),
        ]
        for (unit, unitHTML) in cases {
            let count = length / unit.count
            let source = String(repeating: unit, count: count)
            let rendered = MarkdownRenderer.render(source)
            #expect(rendered.html == unitHTML.map { String(repeating: $0, count: count) } ?? HTML.escape(source), "\(unit.debugDescription) x \(count)")
            #expect(rendered.work <= Self.workPerByte * source.utf8.count, "\(unit.debugDescription) x \(count): \(rendered.work)")
        }
        // Openers all waiting for closers that come at the end: the classic worst case of emphasis.
        let half = length / 8
        let nested = String(repeating: "**a ", count: half) + String(repeating: " a**", count: half)
        let rendered = MarkdownRenderer.render(nested)
        #expect(rendered.html == String(repeating: "<strong>a ", count: half) + String(repeating: " a</strong>", count: half))
        #expect(rendered.work <= Self.workPerByte * nested.utf8.count)
        // One URL that never ends, and mixed delimiters that never match.
        for source in [String(repeating: "https://", count: length / 8), String(repeating: "*_~~[`@h ", count: length / 9)] {
            #expect(MarkdownRenderer.render(source).work <= Self.workPerByte * source.utf8.count, "\(source.prefix(9).debugDescription)")
        }
    }

    /// Each byte is read by the main pass and at most once by each look-ahead, plus a few reads
    /// around delimiters and mentions and the visits to pending delimiters (about 6 at worst).
    static let workPerByte = 8
}
