import Foundation
import FuzzSupport
import JSONText

// The JSON parser every event passes through: any bytes parse or throw, never trap; what parses
// is written back as text that reads as the same value.
fuzz { bytes in
    guard let value = try? JSONValue(parsing: Data(bytes)) else { return }
    guard let again = try? JSONValue(parsing: value.jsonText), again == value else {
        fatalError("\(value.jsonText) does not read back as itself")
    }
}
