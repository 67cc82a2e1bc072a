/// Checks a programmer-error condition and stops with `message` when it fails.
///
/// Use it where `precondition` would go on bad input (shapes, channel counts, strides). An `-O`
/// build compiles a failing `precondition` to a bare trap and drops its message; `fatalError`
/// keeps it, so the user sees which op got which values even in the release build that the
/// tests, lessons and benchmarks run.
@inline(__always)
package func require(_ condition: Bool, _ message: @autoclosure () -> String,
                     file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fatalError(message(), file: file, line: line) }
}
