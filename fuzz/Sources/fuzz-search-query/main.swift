import FuzzSupport
import SearchSyntax

// Search's query parser: whatever a user types parses, in time the fuzzer's `-timeout` allows.
fuzz { bytes in
    _ = SearchQuery(parsing: String(decoding: bytes, as: UTF8.self))
}
