import Testing

@testable import ServiceKit

@Suite struct StorableTextTests {
    @Test(arguments: [
        (#"{"name": "a\u0000b"}"#, "name"),
        (#"{"name": "ok", "description": "a\u0000b"}"#, "description"),
        (#"{"name": "ok", "type": "public", "password": "\ud800x"}"#, "password"),
        (#"{"a": {"b": 1, "c": ["x", "\u0000"]}}"#, "a.c.1"),
        (#"[{"a": 1}, {"b": "\udc00"}]"#, "1.b"),
        (#"{"ok": 1, "k\u0000ey": 2}"#, "key"),
    ])
    func theFieldHoldingUnstorableTextIsNamed(json: String, field: String) {
        #expect(StorableText.firstUnstorableField(inJSON: Array(json.utf8)) == field)
    }

    @Test func storableTextIsLeftAlone() {
        #expect(StorableText.firstUnstorableField(inJSON: Array(#"{"a": "\u00e9\ud83d\ude00", "b": "\\u0000"}"#.utf8)) == nil)
    }
}
