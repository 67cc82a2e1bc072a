import Foundation

/// Why a checkpoint file could not be read, written or loaded into a model.
///
/// Every case names the file (or "<memory>" for in-memory bytes) and says what is wrong and
/// where, so a broken or hostile file from a stranger gives a message a student can act on.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened, mapped or written.
    case io(file: String, message: String)
    /// The file ends before a structure it declares (header, record, pickle opcode argument).
    case truncated(file: String, message: String)
    /// The safetensors header is not what the format allows (JSON, offsets, dtypes, metadata).
    case invalidHeader(file: String, message: String)
    /// A tensor's dtype and shape need a different number of bytes than the file gives it.
    case byteCountMismatch(file: String, tensor: String, expected: Int, actual: Int)
    /// Two tensors claim the same bytes, or the data has bytes no tensor owns.
    case layout(file: String, message: String)
    /// A dtype the kit does not convert.
    case unsupportedDType(file: String, tensor: String, dtype: String)
    /// The zip archive is not a torch.save archive (no `data.pkl`, a missing storage record, ...).
    case invalidArchive(file: String, message: String)
    /// The pickle is malformed or uses an opcode the restricted unpickler does not implement.
    case invalidPickle(file: String, offset: Int, message: String)
    /// The pickle names a global outside the allowed set (`os.system`, `builtins.eval`, ...).
    case forbiddenGlobal(file: String, offset: Int, global: String)
    /// The pickle nests containers deeper than the unpickler allows.
    case tooDeep(file: String, offset: Int, limit: Int)
    /// The file is not a format the kit knows.
    case unknownFormat(file: String, message: String)

    public var description: String {
        switch self {
        case let .io(f, m): return "\(f): \(m)"
        case let .truncated(f, m): return "\(f): truncated file: \(m)"
        case let .invalidHeader(f, m): return "\(f): invalid safetensors header: \(m)"
        case let .byteCountMismatch(f, t, e, a):
            return "\(f): tensor '\(t)': dtype and shape need \(e) bytes but the file gives it \(a)"
        case let .layout(f, m): return "\(f): bad data layout: \(m)"
        case let .unsupportedDType(f, t, d): return "\(f): tensor '\(t)': unsupported dtype \(d)"
        case let .invalidArchive(f, m): return "\(f): not a torch.save zip archive: \(m)"
        case let .invalidPickle(f, o, m): return "\(f): data.pkl byte \(o): \(m)"
        case let .forbiddenGlobal(f, o, g):
            return "\(f): data.pkl byte \(o): global '\(g)' is not allowed (only tensor-rebuild functions, storages and OrderedDict are; the file may try to run code)"
        case let .tooDeep(f, o, l): return "\(f): data.pkl byte \(o): containers nested deeper than \(l) levels"
        case let .unknownFormat(f, m): return "\(f): \(m)"
        }
    }
}
