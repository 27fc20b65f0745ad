// Parts of the kit that depend on (almost) nothing live in targets of their own, so that the
// parsers among them build alone for their fuzz targets (fuzz/): `HTML.escape` in TextKit, the
// Redis wire format in RedisWire, JSON values and their parser in JSONText. Every service keeps
// reaching them through ServiceKit.
@_exported import JSONText
@_exported import RedisWire
@_exported import TextKit
