// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "parley",
    platforms: [.macOS(.v15)],
    products: [],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.0"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.0"),
        // OTLP over HTTP only: the gRPC exporter would bring grpc-swift for nothing.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: []
)

let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let postgres = Target.Dependency.product(name: "PostgresNIO", package: "postgres-nio")
let jwt = Target.Dependency.product(name: "JWTKit", package: "jwt-kit")

// The parsers that bytes from the network reach, each in a target of its own with as few
// dependencies as possible, and a library product: the fuzz package (fuzz/) builds exactly them
// with `-sanitize=fuzzer`. TextKit (HTML escaping), RedisWire (Redis's wire format) and JSONText
// (JSON values and their parser, which every event passes through) are re-exported by ServiceKit.
@MainActor func fuzzable(_ target: Target) {
    package.targets.append(target)
    package.products.append(.library(name: target.name, targets: [target.name]))
}
fuzzable(.target(name: "TextKit", path: "services/kit/Sources/TextKit"))
fuzzable(.target(name: "JSONText", path: "services/kit/Sources/JSONText"))
fuzzable(.target(name: "RedisWire", dependencies: [.product(name: "NIOCore", package: "swift-nio")], path: "services/kit/Sources/RedisWire"))

// ServiceKit: what every service shares; knows no service.
package.targets.append(
    .target(
        name: "ServiceKit",
        dependencies: [
            "TextKit", "RedisWire", "JSONText", hummingbird, postgres, jwt,
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Configuration", package: "swift-configuration"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "Tracing", package: "swift-distributed-tracing"),
            .product(name: "OTel", package: "swift-otel"),
        ],
        path: "services/kit/Sources/ServiceKit",
        // ServiceKit's own tables (the event outbox and inbox), numbered from 10001.
        resources: [.copy("../../Migrations")]
    )
)

/// Declares the generated client of a service's contract: `<Name>API` at `<folder>/Sources/<Name>API`,
/// types and client built from the `openapi.yaml` there (a link to the service's own), plus the
/// small hand-written facade other services call it through.
@MainActor func contract(_ name: String, folder: String, dependencies: [Target.Dependency] = []) {
    package.targets.append(
        .target(
            name: name,
            dependencies: dependencies + [
                "ServiceKit",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
            ],
            path: "\(folder)/Sources/\(name)",
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        )
    )
}

/// Declares one service: its library (`<Name>` at `<folder>/Sources/<Name>`, holding the app and
/// its migrations) and its thin executable (`<executable>` at `<folder>/Sources/<executable>`).
@MainActor func service(
    _ library: String, executable: String, folder: String,
    dependencies: [Target.Dependency] = [], hasMigrations: Bool = true
) {
    package.targets.append(
        .target(
            name: library,
            dependencies: ["ServiceKit", hummingbird] + dependencies,
            path: "\(folder)/Sources/\(library)",
            resources: hasMigrations ? [.copy("../../Migrations")] : []
        )
    )
    package.targets.append(
        .executableTarget(name: executable, dependencies: [.target(name: library)], path: "\(folder)/Sources/\(executable)")
    )
    package.products.append(.executable(name: executable, targets: [executable]))
}

service("AuthService", executable: "auth", folder: "services/auth", dependencies: [
    postgres, jwt, "AuthAPI",
    .product(name: "Crypto", package: "swift-crypto"),
    .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
])
contract("AuthAPI", folder: "services/auth")

service("RoomsService", executable: "rooms", folder: "services/rooms", dependencies: [
    postgres, "AuthAPI", "RoomsAPI", "MessagesAPI",
    .product(name: "AsyncHTTPClient", package: "async-http-client"),
])

contract("RoomsAPI", folder: "services/rooms", dependencies: ["AuthAPI"])

// Messages' markdown renderer and mentions: TextKit and nothing else (fuzzable).
fuzzable(.target(name: "MessageMarkup", dependencies: ["TextKit"], path: "services/messages/Sources/MessageMarkup"))
service("MessagesService", executable: "messages", folder: "services/messages", dependencies: [
    postgres, "AuthAPI", "RoomsAPI", "MediaAPI", "MessagesAPI", "MessageMarkup", "GamesAPI", "CallsAPI",
    .product(name: "AsyncHTTPClient", package: "async-http-client"),
    .product(name: "NIOPosix", package: "swift-nio"),
])
contract("MessagesAPI", folder: "services/messages", dependencies: ["AuthAPI"])

// libvips, reached through a small C shim: its API is C-variadic and its headers bring GLib.
package.targets += [
    .systemLibrary(name: "CVips", path: "services/media/Sources/CVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),
    .target(name: "CVipsShim", dependencies: ["CVips"], path: "services/media/Sources/CVipsShim"),
]
// Media's multipart reader: bytes from the network in, parts out; nothing else, so a fuzzer can drive it.
fuzzable(.target(name: "Multipart", dependencies: [.product(name: "NIOCore", package: "swift-nio")], path: "services/media/Sources/Multipart"))
service("MediaService", executable: "media", folder: "services/media", dependencies: [
    postgres, "MessagesAPI", "CVipsShim", "Multipart",
    .product(name: "AsyncHTTPClient", package: "async-http-client"),
    .product(name: "Crypto", package: "swift-crypto"),
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "_NIOFileSystem", package: "swift-nio"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    .product(name: "HTTPTypes", package: "swift-http-types"),
])
contract("MediaAPI", folder: "services/media")

// Search's query syntax: what a user types, parsed with nothing but Foundation (fuzzable).
fuzzable(.target(name: "SearchSyntax", path: "services/search/Sources/SearchSyntax"))
service("SearchService", executable: "search", folder: "services/search", dependencies: [
    "SearchSyntax",
    postgres, "AuthAPI", "RoomsAPI", "MessagesAPI",
    .product(name: "AsyncHTTPClient", package: "async-http-client"),
])

service("NotifyService", executable: "notify", folder: "services/notify", dependencies: [
    postgres, "AuthAPI", "RoomsAPI", "MessagesAPI", "NotifyAPI", "CallsAPI",
    .product(name: "AsyncHTTPClient", package: "async-http-client"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
])

// Notify's events, for the gateway: notify has no HTTP contract another service calls.
package.targets.append(.target(name: "NotifyAPI", path: "services/notify/Sources/NotifyAPI"))

service("Gateway", executable: "gateway", folder: "gateway", dependencies: [
    "AuthAPI", "RoomsAPI", "MessagesAPI", "NotifyAPI", "GamesAPI", "CallsAPI",
    .product(name: "AsyncHTTPClient", package: "async-http-client"),
    .product(name: "NIOHTTP1", package: "swift-nio"),
    .product(name: "NIOWebSocket", package: "swift-nio"),
    .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
    .product(name: "Tracing", package: "swift-distributed-tracing"),
], hasMigrations: false)

// Pong's rules and physics, for the games service: pure, stepped by its caller at a fixed tick,
// so tests play whole matches tick by tick.
package.targets.append(.target(name: "PongRules", path: "services/games/Sources/PongRules"))
service("GamesService", executable: "games", folder: "services/games", dependencies: [
    postgres, "AuthAPI", "RoomsAPI", "GamesAPI", "PongRules",
    .product(name: "Metrics", package: "swift-metrics"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
])
// Games' events and objects, for messages (the invitation and result messages) and the gateway.
package.targets.append(.target(name: "GamesAPI", path: "services/games/Sources/GamesAPI"))

service("CallsService", executable: "calls", folder: "services/calls", dependencies: [
    postgres, "AuthAPI", "RoomsAPI", "CallsAPI",
    .product(name: "Crypto", package: "swift-crypto"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
])
// Calls' events and objects, for notify (the `call` notification), messages (the room's line
// when a call ends) and the gateway.
package.targets.append(.target(name: "CallsAPI", path: "services/calls/Sources/CallsAPI"))

// Pong's server loop measured (bench/README.md): the CPU of a match's tick, and the 60 Hz schedule
// of many matches at once.
package.targets.append(.executableTarget(name: "pongbench", dependencies: ["GamesService", "PongRules", "ServiceKit"], path: "bench/pongbench"))
package.products.append(.executable(name: "pongbench", targets: ["pongbench"]))

// The load generator (bench/README.md): N users in a room over WebSocket, some of them sending.
package.targets.append(
    .executableTarget(
        name: "loadgen",
        dependencies: [
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
        ],
        path: "bench/loadgen"
    )
)
package.products.append(.executable(name: "loadgen", targets: ["loadgen"]))

// The search corpus generator and query timer (bench/README.md).
package.targets.append(
    .executableTarget(
        name: "searchgen",
        dependencies: [
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ],
        path: "bench/searchgen"
    )
)
package.products.append(.executable(name: "searchgen", targets: ["searchgen"]))

// The thumbnail micro-benchmark (bench/README.md): media's libvips shim on one file, timed in-process.
package.targets.append(.executableTarget(name: "thumbbench", dependencies: ["CVipsShim"], path: "bench/thumbbench"))
package.products.append(.executable(name: "thumbbench", targets: ["thumbbench"]))

// The markdown renderer micro-benchmark (bench/README.md): messages' renderer on its worst inputs, timed in-process.
package.targets.append(.executableTarget(name: "renderbench", dependencies: ["MessageMarkup"], path: "bench/renderbench"))
package.products.append(.executable(name: "renderbench", targets: ["renderbench"]))

// Tests run against real Postgres and Redis processes that TestSupport starts on free ports.
package.targets += [
    .target(
        name: "TestSupport",
        dependencies: [
            "ServiceKit",
            postgres,
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            .product(name: "Configuration", package: "swift-configuration"),
        ],
        path: "Tests/TestSupport"
    ),
    .testTarget(name: "ServiceKitTests", dependencies: [
        "ServiceKit", "TestSupport", postgres, jwt,
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "Tracing", package: "swift-distributed-tracing"),
    ]),
    .testTarget(name: "AuthServiceTests", dependencies: [
        "AuthService", "AuthAPI", "TestSupport", postgres, .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
    ]),
    .testTarget(name: "ContractTests", dependencies: [
        "AuthAPI", "AuthService", "RoomsAPI", "RoomsService", "TestSupport", "MediaAPI", "MessagesAPI", "StackSupport", "ServiceKit",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
        .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
    ]),
    // Stand-ins for a service's neighbours (auth's tokens and users, rooms, media, messages), so
    // each service's own tests run with nothing but Postgres and Redis (and clamd and S3 for media).
    .target(
        name: "NeighbourFakes",
        dependencies: [
            "ServiceKit", "AuthAPI", "RoomsAPI", "MediaAPI", "MessagesAPI", "TestSupport", jwt, .product(name: "Crypto", package: "swift-crypto"),
        ],
        path: "Tests/NeighbourFakes"
    ),
    .testTarget(name: "RoomsServiceTests", dependencies: [
        "RoomsService", "RoomsAPI", "MessagesAPI", "NeighbourFakes", "TestSupport", "ServiceKit", postgres,
        .product(name: "Logging", package: "swift-log"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
    ]),
    // The whole stack (auth, rooms, messages and the gateway, wired as compose/up wires them) for
    // tests that go through the gateway, and a WebSocket client that collects frames.
    .target(
        name: "StackSupport",
        dependencies: [
            "Gateway", "AuthService", "RoomsService", "MessagesService", "MediaService", "SearchService", "NotifyService", "GamesService",
            "CallsService",
            "TestSupport",
            "ServiceKit",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ],
        path: "Tests/StackSupport"
    ),
    // Journeys that cross services, through the gateway of the whole stack.
    .testTarget(name: "JourneyTests", dependencies: [
        "StackSupport", "TestSupport", "ServiceKit", "SearchService",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
    ]),
    // The gateway alone: its neighbours stood in for (NeighbourFakes, and an upstream stand-in for
    // the services behind its proxy); it cannot start the stack, having no StackSupport.
    .testTarget(name: "GatewayTests", dependencies: [
        "Gateway", "TestSupport", "NeighbourFakes", "ServiceKit", "RoomsAPI", "MessagesAPI", "NotifyAPI", "AuthAPI",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
    ]),
    .testTarget(name: "MessagesServiceTests", dependencies: [
        "MessagesService", "MessageMarkup", "NeighbourFakes", "TestSupport", "ServiceKit", "AuthAPI", "RoomsAPI",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
    ]),
    .testTarget(name: "SearchServiceTests", dependencies: [
        "SearchService", "SearchSyntax", "NeighbourFakes", "TestSupport", "ServiceKit", "AuthAPI", "RoomsAPI", "MessagesAPI",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
    ]),
    .testTarget(name: "NotifyServiceTests", dependencies: [
        "NotifyService", "NotifyAPI", "AuthAPI", "MessagesAPI", "RoomsAPI", "CallsAPI", "NeighbourFakes", "TestSupport", "ServiceKit", postgres,
        .product(name: "HummingbirdTesting", package: "hummingbird"),
    ]),
    .testTarget(name: "PongRulesTests", dependencies: ["PongRules"]),
    .testTarget(name: "CallsServiceTests", dependencies: [
        "CallsService", "CallsAPI", "AuthAPI", "RoomsAPI", "NeighbourFakes", "TestSupport", "ServiceKit",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
    ]),
    .testTarget(name: "GamesServiceTests", dependencies: [
        "GamesService", "GamesAPI", "AuthAPI", "RoomsAPI", "NeighbourFakes", "TestSupport", "ServiceKit",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
    ]),
    .testTarget(name: "MediaServiceTests", dependencies: [
        "MediaService", "MessagesAPI", "Multipart", "NeighbourFakes", "TestSupport", "ServiceKit",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "NIOCore", package: "swift-nio"),
    ]),
]
