import RoomsAPI

/// Whom games depends on: auth (the keys that sign callers' tokens, users) and rooms (members,
/// their levels, blocks), over HTTP in the executable and stood in for by games's own tests.
public typealias GamesNeighbours = MemberServiceNeighbours
