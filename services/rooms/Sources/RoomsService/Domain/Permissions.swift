/// Everything a member may try in a room. Other services ask for the same verdicts through the
/// internal membership endpoint (`allowed_actions`), so every rule lives in this one table.
enum RoomAction: String, CaseIterable, Sendable {
    case view, post, react, upload, leave, setNotificationLevel = "set_notification_level"
    case updateRoom = "update_room", deleteRoom = "delete_room"
    case addMember = "add_member", removeMember = "remove_member", changeRole = "change_role"
    case manageInvites = "manage_invites"
    case mute, ban, listModeration = "list_moderation"
    case pinMessage = "pin_message", deleteAnyMessage = "delete_any_message", reviewReports = "review_reports"
}

enum Permissions {
    /// Role x action: the roles allowed each action.
    static let table: [RoomAction: Set<MemberRole>] = [
        .view: [.owner, .admin, .member],
        .post: [.owner, .admin, .member],
        .react: [.owner, .admin, .member],
        .upload: [.owner, .admin, .member],
        .leave: [.owner, .admin, .member],
        .setNotificationLevel: [.owner, .admin, .member],
        .updateRoom: [.owner, .admin],
        .deleteRoom: [.owner],
        .addMember: [.owner, .admin],
        .removeMember: [.owner, .admin],
        .changeRole: [.owner],
        .manageInvites: [.owner, .admin],
        .mute: [.owner, .admin],
        .ban: [.owner, .admin],
        .listModeration: [.owner, .admin],
        .pinMessage: [.owner, .admin],
        .deleteAnyMessage: [.owner, .admin],
        .reviewReports: [.owner, .admin],
    ]

    /// A direct room is two people and nothing to manage: these never apply to one.
    static let impossibleInDirectRooms: Set<RoomAction> = [
        .leave, .updateRoom, .deleteRoom, .addMember, .removeMember, .changeRole, .manageInvites, .mute, .ban, .listModeration,
    ]

    /// What a muted member may not do until the mute ends, and what neither member of a direct
    /// room may do while either blocks the other.
    static let deniedWhileMuted: Set<RoomAction> = [.post, .react, .upload]

    /// `blocked`: a direct room whose two members are separated by a block (either way).
    static func allows(_ action: RoomAction, role: MemberRole, roomType: RoomType, muted: Bool, blocked: Bool = false) -> Bool {
        if roomType == .direct && impossibleInDirectRooms.contains(action) { return false }
        if (muted || blocked) && deniedWhileMuted.contains(action) { return false }
        return table[action]?.contains(role) ?? false
    }

    static func allowedActions(role: MemberRole, roomType: RoomType, muted: Bool, blocked: Bool = false) -> [RoomAction] {
        RoomAction.allCases.filter { allows($0, role: role, roomType: roomType, muted: muted, blocked: blocked) }
    }

    /// Moderation acts only downwards: an admin can remove, mute or ban members but not other
    /// admins or the owner; the owner can act on anyone else.
    static func mayModerate(actor: MemberRole, target: MemberRole) -> Bool {
        actor > target
    }
}
