import Foundation
import HummingbirdTesting
import MediaService
import NeighbourFakes
import ServiceKit
import TestSupport

/// A live media service alone, on a fresh database, the test Redis and the test clamd, its files
/// in a temporary folder: auth is stood in for by `TestTokens`, messages by `viewers` (the
/// contract tests hold the real ones to the same protocols; the journeys that cross messages and
/// media are in `JourneyTests`).
struct MediaStack: Sendable {
    let media: any TestClientProtocol
    let port: Int
    let folder: MediaFolder
    let tokens: TestTokens

    /// A new user: a token for a new user id (media knows users only by their tokens).
    func register() async throws -> (token: String, id: String, username: String) {
        let id = UUID()
        return (try await tokens.token(for: id, now: Date()), id.apiString, "user-\(id.apiString.prefix(8))")
    }

    func storedObjects() -> [String] { folder.storedObjects() }
    func spooledFiles() -> [String] { folder.spooledFiles() }
}

func withMedia<T: Sendable>(
    settings extra: [String: String] = [:], clock: WallClock = .system, viewers: AttachmentViewersStub = AttachmentViewersStub(),
    _ body: @escaping @Sendable (MediaStack) async throws -> T
) async throws -> T {
    try await withServicesGate {
        let folder = MediaFolder(path: FileManager.default.temporaryDirectory.appendingPathComponent("parley-media-\(UUID().uuidString)").path)
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        let overrides = try await TestEnvironment.serviceOverrides(
            ["CLAMD_PORT": String(try await TestClamd.shared.start())].merging(folder.settings) { $1 }.merging(extra) { $1 })
        let tokens = TestTokens()
        let media = try await MediaService.buildApplication(
            settings: MediaSettings(reader: TestEnvironment.reader(overrides)), clock: clock,
            neighbours: MediaNeighbours(tokenKeys: tokens, viewers: viewers))
        return try await media.test(.live) { client in
            try await body(MediaStack(media: client, port: client.port!, folder: folder, tokens: tokens))
        }
    }
}
