import Testing

/// What a stand-in does when the test did not say how the neighbour answers this question: the
/// test fails, naming the question, and the service sees an error.
func unexpectedCall<T>(_ question: String) throws -> T {
    Issue.record("\(question) was asked, but the test gave the stand-in no answer for it")
    throw UnexpectedCall(question: question)
}

struct UnexpectedCall: Error {
    let question: String
}
