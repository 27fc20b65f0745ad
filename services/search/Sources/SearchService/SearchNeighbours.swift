import RoomsAPI

/// Whom search depends on: auth (the keys that sign callers' tokens, users) and rooms (members,
/// their levels, blocks), over HTTP in the executable and stood in for by search's own tests.
public typealias SearchNeighbours = MemberServiceNeighbours
