// The engine's precondition checks print their message in optimised builds too.
//
// The standard library's `precondition` and `preconditionFailure` drop the message under -O (the
// process traps with only a register dump), and the kit, its tests and its lessons all run as
// release builds. Every check names the op and the values involved, so these two shadow the
// standard ones and route through `fatalError`, which always prints
// "file:line: Fatal error: <message>". They are public: a module that imports CNN (Zoo, Datasets,
// Training, lessons) gets them too, since an imported module's declaration shadows the standard
// library's. The cost is the same single branch on the happy path.

@inline(__always)
public func precondition(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String = String(),
                         file: StaticString = #fileID, line: UInt = #line) {
    if _slowPath(!condition()) { fatalError(message(), file: file, line: line) }
}

@inline(__always)
public func preconditionFailure(_ message: @autoclosure () -> String = String(),
                         file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message(), file: file, line: line)
}
