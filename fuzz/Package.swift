// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for the parsers that bytes from the network reach. Built apart from the root
// package, with coverage instrumentation (`fuzz/run` builds and runs them); each depends on
// exactly the root package's library product it fuzzes (or NIO's decoder), so the instrumented
// build stays small.
let package = Package(
    name: "parley-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "parley", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
    ],
    targets: [
        .target(name: "FuzzSupport"),
        .executableTarget(name: "fuzz-markdown", dependencies: ["FuzzSupport", .product(name: "MessageMarkup", package: "parley")]),
        .executableTarget(name: "fuzz-search-query", dependencies: ["FuzzSupport", .product(name: "SearchSyntax", package: "parley")]),
        .executableTarget(name: "fuzz-multipart", dependencies: [
            "FuzzSupport", .product(name: "Multipart", package: "parley"), .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .executableTarget(name: "fuzz-json", dependencies: ["FuzzSupport", .product(name: "JSONText", package: "parley")]),
        .executableTarget(name: "fuzz-resp", dependencies: [
            "FuzzSupport", .product(name: "RedisWire", package: "parley"), .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .executableTarget(name: "fuzz-websocket", dependencies: [
            "FuzzSupport", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
        ]),
    ]
)
