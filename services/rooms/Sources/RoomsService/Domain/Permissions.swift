import RoomsAPI

/// Rooms' rules for its own types: which `RoomAction` a member may take (the table is
/// `RoomAction.roles`, in RoomsAPI, where the verdicts' other readers find it too; other services
/// get them through the internal membership endpoint, `allowed_actions`), and who may moderate whom.
enum Permissions {
    /// `blocked`: a direct room whose two members are separated by a block (either way).
    static func allows(_ action: RoomAction, role: MemberRole, roomType: RoomType, muted: Bool, blocked: Bool = false) -> Bool {
        action.isAllowed(role: role.rawValue, roomType: roomType.rawValue, muted: muted, blocked: blocked)
    }

    static func allowedActions(role: MemberRole, roomType: RoomType, muted: Bool, blocked: Bool = false) -> [RoomAction] {
        RoomAction.allowed(role: role.rawValue, roomType: roomType.rawValue, muted: muted, blocked: blocked)
    }

    /// Moderation acts only downwards: an admin can remove, mute or ban members but not other
    /// admins or the owner; the owner can act on anyone else.
    static func mayModerate(actor: MemberRole, target: MemberRole) -> Bool {
        actor > target
    }
}
