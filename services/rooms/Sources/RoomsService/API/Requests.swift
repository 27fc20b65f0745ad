import Foundation
import ServiceKit

/// Request bodies. Each validates itself as it decodes, so a handler only sees good input.

/// `POST /rooms`: a group room (`name`, `description`, `type`, `password`) or, with `type:
/// direct`, the pair's direct room (`user_id`).
struct CreateRoomRequest: Decodable {
    enum Kind {
        case group(RoomLifecycle.GroupRoomDraft)
        case direct(peer: UUID)
    }

    let kind: Kind

    enum CodingKeys: String, CodingKey { case name, description, type, password, userId }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let typeText = try container.decodeIfPresent(String.self, forKey: .type) ?? RoomType.public.rawValue
        guard let type = RoomType(rawValue: typeText) else {
            throw AppError.validation(field: "type", "type must be public, private or direct")
        }
        if type == .direct {
            guard let peer = try container.decodeIfPresent(UUID.self, forKey: .userId) else {
                throw AppError.validation(field: "user_id", "a direct room needs user_id")
            }
            self.kind = .direct(peer: peer)
            return
        }
        guard let name = try container.decodeIfPresent(String.self, forKey: .name) else {
            throw AppError.validation(field: "name", "room name must be 1-100 characters")
        }
        let password = try container.decodeIfPresent(String.self, forKey: .password).map(RoomRules.password)
        guard password == nil || type == .public else {
            throw AppError.validation(field: "password", "only public rooms can have a password")
        }
        self.kind = .group(.init(
            name: try RoomRules.name(name), description: try RoomRules.description(try container.decodeIfPresent(String.self, forKey: .description)),
            type: type, password: password))
    }
}

/// `PUT /rooms/:id`: keys left out stay as they are; `description` or `password` null clears it.
struct UpdateRoomRequest: Decodable {
    let change: RoomLifecycle.RoomChange

    enum CodingKeys: String, CodingKey { case name, description, password }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var change = RoomLifecycle.RoomChange()
        if container.contains(.name) {
            guard let name = try container.decodeIfPresent(String.self, forKey: .name) else {
                throw AppError.validation(field: "name", "room name must be 1-100 characters")
            }
            change.name = try RoomRules.name(name)
        }
        change.description = try container.fieldUpdate(String.self, forKey: .description) { $0 }
        if case .set(let text) = change.description {
            change.description = try RoomRules.description(text).map { .set($0) } ?? .clear
        }
        change.password = try container.fieldUpdate(String.self, forKey: .password, validate: RoomRules.password)
        self.change = change
    }
}

struct JoinRequest: Decodable {
    let password: String?
}

struct UserIDRequest: Decodable {
    let userId: UUID
}

struct RoleRequest: Decodable {
    let role: MemberRole

    enum CodingKeys: String, CodingKey { case role }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let role = MemberRole(rawValue: try container.decode(String.self, forKey: .role)) else {
            throw AppError.validation(field: "role", "role must be owner, admin or member")
        }
        self.role = role
    }
}

struct MuteRequest: Decodable {
    let duration: TimeInterval?

    enum CodingKeys: String, CodingKey { case durationSeconds }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.duration = try RoomRules.muteDuration(try container.decodeIfPresent(Int.self, forKey: .durationSeconds))
    }
}

struct BanRequest: Decodable {
    let userId: UUID
    let reason: String?

    enum CodingKeys: String, CodingKey { case userId, reason }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.userId = try container.decode(UUID.self, forKey: .userId)
        self.reason = try RoomRules.banReason(try container.decodeIfPresent(String.self, forKey: .reason))
    }
}

/// `POST /rooms/:id/invites`: `max_uses` (1 = single use; absent = unlimited) and
/// `expires_in_seconds` (default 7 days).
struct InviteRequest: Decodable {
    let maxUses: Int?
    let expiresIn: TimeInterval?

    enum CodingKeys: String, CodingKey { case maxUses, expiresInSeconds }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.maxUses = try container.decodeIfPresent(Int.self, forKey: .maxUses)
        if let maxUses, !(1...100_000).contains(maxUses) {
            throw AppError.validation(field: "max_uses", "max_uses must be 1-100000")
        }
        let seconds = try container.decodeIfPresent(Int.self, forKey: .expiresInSeconds)
        if let seconds, !(60...Int(Invitations.maxLifetime)).contains(seconds) {
            throw AppError.validation(field: "expires_in_seconds", "expires_in_seconds must be 60-\(Int(Invitations.maxLifetime))")
        }
        self.expiresIn = seconds.map(TimeInterval.init)
    }
}

struct NotificationLevelRequest: Decodable {
    let level: NotificationLevel

    enum CodingKeys: String, CodingKey { case level }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let level = NotificationLevel(rawValue: try container.decode(String.self, forKey: .level)) else {
            throw AppError.validation(field: "level", "level must be all, mentions or muted")
        }
        self.level = level
    }
}
