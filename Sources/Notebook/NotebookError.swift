// Errors that name the file and what is wrong with it (docs/ARCHITECTURE.md, "Errors").
import Foundation

/// Environment, file and command-line errors of the notebook runtime.
public enum NotebookError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file or directory could not be read.
    case unreadable(path: String, reason: String)
    /// A file could not be written (or renamed into place).
    case unwritable(path: String, reason: String)
    /// A command-line argument or environment variable has a bad value.
    case badArgument(name: String, value: String, expected: String)
    /// The lesson's sources or the package root could not be located.
    case sourcesNotFound(searched: String, hint: String)
    /// A source line the splitter cannot interpret (an unknown `//-` directive, say).
    case badSource(file: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "cannot read \(path): \(reason)"
        case let .unwritable(path, reason): "cannot write \(path): \(reason)"
        case let .badArgument(name, value, expected): "bad value '\(value)' for \(name): expected \(expected)"
        case let .sourcesNotFound(searched, hint): "lesson sources not found (searched \(searched)); \(hint)"
        case let .badSource(file, line, reason): "\(file):\(line): \(reason)"
        }
    }
}
