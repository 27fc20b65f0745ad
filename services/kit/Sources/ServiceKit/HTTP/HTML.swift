/// Text made safe to place in HTML: the one escaping every service uses (messages' rendered
/// markdown, search's highlights).
public enum HTML {
    /// `&`, `<`, `>`, `"` and `'` as entities; everything else as it is.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
