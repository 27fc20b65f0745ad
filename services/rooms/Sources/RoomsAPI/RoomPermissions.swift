import ServiceKit

/// Everything a member may try in a room: the values of `allowed_actions` in rooms' answers about
/// a member. Rooms' permission table (`roles`) decides which a member may take; every service that
/// asks names them, and refuses them, with these.
public enum RoomAction: String, CaseIterable, Sendable {
    case view, post, react, upload, leave, setNotificationLevel = "set_notification_level"
    case updateRoom = "update_room", deleteRoom = "delete_room"
    case addMember = "add_member", removeMember = "remove_member", changeRole = "change_role"
    case manageInvites = "manage_invites"
    case mute, ban, listModeration = "list_moderation"
    case pinMessage = "pin_message", deleteAnyMessage = "delete_any_message", reviewReports = "review_reports"

    /// Adds to the conversation: what a muted member may not do until the mute ends, nor either
    /// member of a direct room while one blocks the other.
    public var speaks: Bool { [.post, .react, .upload].contains(self) }

    /// A direct room is two people and nothing to manage: these never apply to one.
    public var isImpossibleInDirectRooms: Bool {
        [.leave, .updateRoom, .deleteRoom, .addMember, .removeMember, .changeRole, .manageInvites, .mute, .ban, .listModeration].contains(self)
    }

    /// The roles (`owner`, `admin`, `member`) allowed each action: the one table of rooms' rules.
    public static let roles: [RoomAction: Set<String>] = [
        .view: ["owner", "admin", "member"],
        .post: ["owner", "admin", "member"],
        .react: ["owner", "admin", "member"],
        .upload: ["owner", "admin", "member"],
        .leave: ["owner", "admin", "member"],
        .setNotificationLevel: ["owner", "admin", "member"],
        .updateRoom: ["owner", "admin"],
        .deleteRoom: ["owner"],
        .addMember: ["owner", "admin"],
        .removeMember: ["owner", "admin"],
        .changeRole: ["owner"],
        .manageInvites: ["owner", "admin"],
        .mute: ["owner", "admin"],
        .ban: ["owner", "admin"],
        .listModeration: ["owner", "admin"],
        .pinMessage: ["owner", "admin"],
        .deleteAnyMessage: ["owner", "admin"],
        .reviewReports: ["owner", "admin"],
    ]

    /// Whether a member of `role` may take this action now, in a room of `roomType` (`public`,
    /// `private` or `direct`), muted or not, in a direct room closed by a block or not.
    public func isAllowed(role: String, roomType: String, muted: Bool, blocked: Bool) -> Bool {
        if roomType == "direct" && isImpossibleInDirectRooms { return false }
        if (muted || blocked) && speaks { return false }
        return Self.roles[self]?.contains(role) ?? false
    }

    /// Every action such a member may take now (rooms' `allowed_actions`).
    public static func allowed(role: String, roomType: String, muted: Bool, blocked: Bool) -> [RoomAction] {
        allCases.filter { $0.isAllowed(role: role, roomType: roomType, muted: muted, blocked: blocked) }
    }

    /// The 403 a member gets for this action when their standing does not allow it: the same
    /// from rooms and from every service that asks rooms (`RoomAccess.require`).
    public func refusal(roomType: String, muted: Bool, blocked: Bool) -> AppError {
        if muted && speaks { return AppError.forbidden("you are muted in this room", code: "muted") }
        if blocked && speaks { return AppError.forbidden("a block between you and this user stops new messages", code: "blocked") }
        if roomType == "direct" && isImpossibleInDirectRooms {
            return AppError.forbidden("direct rooms have exactly two members and nothing to manage")
        }
        return AppError.forbidden("your role in this room does not allow this")
    }
}

extension RoomAccess {
    public func allows(_ action: RoomAction) -> Bool { allowedActions.contains(action.rawValue) }

    /// Returns when the user may take `action`; otherwise throws the refusal a service that
    /// asked rooms gives: 404 for a room a non-member may not know exists (private and direct
    /// rooms), 403 `banned` or `not_a_member` for a public one, and for a member the action's
    /// `refusal` (`muted`, `blocked` or `forbidden`).
    public func require(_ action: RoomAction) throws {
        guard isMember else {
            if roomType != "public" { throw AppError.notFound("room not found") }
            if banned { throw AppError.forbidden("you are banned from this room", code: "banned") }
            throw AppError.forbidden("you are not a member of this room", code: "not_a_member")
        }
        guard !allows(action) else { return }
        throw action.refusal(roomType: roomType, muted: muted, blocked: blocked)
    }
}
