import RoomsAPI

/// Who may take each `RoomAction` (RoomsAPI, where other services read them too): the one table of
/// rooms' rules. Other services ask for the verdicts through the internal membership endpoint
/// (`allowed_actions`).
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

    /// `blocked`: a direct room whose two members are separated by a block (either way).
    static func allows(_ action: RoomAction, role: MemberRole, roomType: RoomType, muted: Bool, blocked: Bool = false) -> Bool {
        if roomType == .direct && action.isImpossibleInDirectRooms { return false }
        if (muted || blocked) && action.speaks { return false }
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
