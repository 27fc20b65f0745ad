// `HTML.escape` lives in TextKit, which depends on nothing (so messages' markdown renderer and its
// fuzz target build without the rest of the kit); every service keeps reaching it through ServiceKit.
@_exported import TextKit
