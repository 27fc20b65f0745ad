import Testing

import SearchSyntax
@testable import SearchService

/// The query language and the index's extra terms, without a database.
@Suite struct SearchQueryTests {
    @Test func webSearchSyntax() {
        let query = SearchQuery(parsing: #"deploy "exact phrase" -draft staging or prod rele"#)
        #expect(query.conditions == [
            .init(alternatives: [.words("deploy")]),
            .init(alternatives: [.phrase("exact phrase")]),
            .init(alternatives: [.words("draft")], negated: true),
            .init(alternatives: [.words("staging"), .words("prod")]),
            .init(alternatives: [.prefix("rele")]),
        ])
        // A finished last word (a space after it) is a whole word; a non-plain one is never a prefix.
        #expect(SearchQuery(parsing: "release ").conditions == [.init(alternatives: [.words("release")])])
        #expect(SearchQuery(parsing: "foo-ba").conditions == [.init(alternatives: [.words("foo-ba")])])
        #expect(SearchQuery(parsing: #""unclosed phrase"#).conditions == [.init(alternatives: [.phrase("unclosed phrase")])])
    }

    @Test func inlineOperators() {
        let query = SearchQuery(parsing: "in:0192f000-0000-7000-8000-000000000001 from:@alice after:2026-11-01 before:2026-12-01 has:link has:attachment is:thread budget")
        #expect(query.roomIDs == ["0192f000-0000-7000-8000-000000000001"])
        #expect(query.senderNames == ["alice"])
        #expect(query.after == "2026-11-01" && query.before == "2026-12-01")
        #expect(query.hasLinks && query.hasAttachments && query.threadsOnly)
        #expect(query.conditions == [.init(alternatives: [.prefix("budget")])])
        // Unknown operators and URLs are words.
        #expect(SearchQuery(parsing: "https://example.com ").conditions == [.init(alternatives: [.words("https://example.com")])])
    }

    @Test func extraTermsMakeIdentifiersAndAddressesFindable() {
        let terms = Set(IndexText.extraTerms("ping a.b@example.com about parseHTTPRequest in api_client.v2 (see https://docs.example.org/setup/linux) 1,250,000").split(separator: " "))
        for expected in ["example.com", "a", "b", "example", "com", "parse", "HTTP", "Request", "api", "client", "v2", "docs", "setup", "linux", "1250000"] {
            #expect(terms.contains(Substring(expected)), "\(expected)")
        }
        #expect(IndexText.camelWords("camelCase") == ["camel", "Case"])
        #expect(IndexText.camelWords("lowercase") == ["lowercase"])
        // Plain words, capitalised or in capitals, with punctuation around them, add nothing.
        #expect(IndexText.extraTerms("Hello (world), HTTP v2 is *here*! 2026\tdone\u{3000}ok") == "")
        #expect(IndexText.extraTerms("(parseHTTP) «fooBar» Ünïcode-Wörter") == "parse HTTP foo Bar Ünïcode Wörter")
    }

    @Test func markersAreTakenOutOfIndexedText() {
        #expect(Highlight.withoutMarkers("a\u{E000}b\u{E001}c") == "abc")
        #expect(Highlight.withoutMarkers("plain é text") == "plain é text")
    }

    @Test func highlightsAreSafeHTML() {
        let headline = "say \(Highlight.start)<script>\(Highlight.stop) & \"bye\""
        #expect(Highlight.html(headline) == "say <mark>&lt;script&gt;</mark> &amp; &quot;bye&quot;")
    }
}
