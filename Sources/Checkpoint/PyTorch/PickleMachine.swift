import Foundation

/// A restricted unpickler: the subset of Python's pickle virtual machine (protocols 2–5) that
/// `torch.save(state_dict)` emits, and nothing that can run code.
///
/// It understands containers (list, tuple, dict, OrderedDict), scalars, strings, the memo,
/// persistent ids naming storages, and calls to exactly the tensor-rebuild functions listed in
/// `AllowedGlobal`. Any other GLOBAL is rejected by name as soon as it is read. Lengths are
/// checked against the bytes left before anything is allocated, containers may nest at most
/// `maximumDepth` levels, and every container lives in `heap` (see `PickleValue`), so a hostile
/// file gets a thrown `CheckpointError`, never a crash.
struct PickleMachine {
    /// Deeper nesting than any state_dict needs (a checkpoint dict holding a state_dict holding
    /// tensors is 3 levels, a tensor's size tuple one more).
    static let maximumDepth = 32

    let bytes: [UInt8]
    let file: String
    var heap: [PickleObject] = []
    var nesting: [Int] = []       // heap index → nesting depth seen so far
    var position = 0
    var opcodeStart = 0
    var stack: [PickleValue] = []
    var marks: [Int] = []
    var memo: [UInt32: PickleValue] = [:]

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    // MARK: Errors and input

    func fail(_ message: String) -> CheckpointError {
        .invalidPickle(file: file, offset: opcodeStart, message: message)
    }

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count - position else {
            throw CheckpointError.truncated(file: file, message: "data.pkl byte \(opcodeStart): an argument of \(n) bytes runs past the end (\(bytes.count - position) left)")
        }
        defer { position += n }
        return bytes[position..<position + n]
    }

    /// A little-endian unsigned integer of `n` bytes.
    mutating func unsigned(_ n: Int) throws -> UInt64 {
        try take(n).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A length argument of `n` bytes, as an Int no larger than the bytes left.
    mutating func length(_ n: Int, signed: Bool = false) throws -> Int {
        var value = try unsigned(n)
        if signed && n == 4 && value & 0x8000_0000 != 0 { value = UInt64.max }   // negative
        guard value <= UInt64(bytes.count - position) else {
            throw CheckpointError.truncated(file: file, message: "data.pkl byte \(opcodeStart): declares \(value) bytes but only \(bytes.count - position) are left")
        }
        return Int(value)
    }

    mutating func line() throws -> String {
        guard let end = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) else {
            throw CheckpointError.truncated(file: file, message: "data.pkl byte \(opcodeStart): GLOBAL name without a newline")
        }
        let text = String(decoding: bytes[position..<end], as: UTF8.self)
        position = end + 1
        return text
    }

    // MARK: Stack

    mutating func push(_ v: PickleValue) { stack.append(v) }

    mutating func pop() throws -> PickleValue {
        guard stack.count > (marks.last ?? 0), let v = stack.popLast() else {
            throw fail("stack underflow")
        }
        return v
    }

    func top() throws -> PickleValue {
        guard let v = stack.last, stack.count > (marks.last ?? 0) else { throw fail("stack underflow") }
        return v
    }

    mutating func popMark() throws -> [PickleValue] {
        guard let m = marks.popLast() else { throw fail("no MARK on the stack") }
        defer { stack.removeSubrange(m...) }
        return Array(stack[m...])
    }

    mutating func allocate(_ object: PickleObject, children: [PickleValue] = []) throws -> PickleValue {
        var depth = 1
        for case let .object(c) in children { depth = max(depth, nesting[c] + 1) }
        guard depth <= Self.maximumDepth else {
            throw CheckpointError.tooDeep(file: file, offset: opcodeStart, limit: Self.maximumDepth)
        }
        heap.append(object)
        nesting.append(depth)
        return .object(heap.count - 1)
    }

    /// Records that `child` now sits inside heap object `parent` (APPEND, SETITEM).
    mutating func nest(_ child: PickleValue, in parent: Int) throws {
        guard case let .object(c) = child else { return }
        nesting[parent] = max(nesting[parent], nesting[c] + 1)
        guard nesting[parent] <= Self.maximumDepth else {
            throw CheckpointError.tooDeep(file: file, offset: opcodeStart, limit: Self.maximumDepth)
        }
    }

    // MARK: Run

    /// Executes the pickle and returns the value STOP finds on the stack.
    mutating func run() throws -> PickleValue {
        while position < bytes.count {
            opcodeStart = position
            let op = bytes[position]
            position += 1
            switch op {
            case 0x80: // PROTO
                let version = try unsigned(1)
                guard version >= 2 && version <= 5 else { throw fail("pickle protocol \(version) is not supported (2...5)") }
            case 0x95: _ = try unsigned(8) // FRAME: framing is a reader hint; the bytes follow inline
            case UInt8(ascii: "("): // MARK
                guard marks.count < Self.maximumDepth else {
                    throw CheckpointError.tooDeep(file: file, offset: opcodeStart, limit: Self.maximumDepth)
                }
                marks.append(stack.count)
            case UInt8(ascii: "."): // STOP
                return try pop()
            case UInt8(ascii: "0"): // POP
                if let m = marks.last, m == stack.count { marks.removeLast() } else { _ = try pop() }
            case UInt8(ascii: "1"): _ = try popMark() // POP_MARK
            case UInt8(ascii: "2"): push(try top()) // DUP
            case UInt8(ascii: "N"): push(.none)
            case 0x88: push(.bool(true))
            case 0x89: push(.bool(false))
            case UInt8(ascii: "J"): push(.int(Int64(Int32(bitPattern: UInt32(try unsigned(4)))))) // BININT
            case UInt8(ascii: "K"): push(.int(Int64(try unsigned(1)))) // BININT1
            case UInt8(ascii: "M"): push(.int(Int64(try unsigned(2)))) // BININT2
            case 0x8A: push(.int(try long(length(1)))) // LONG1
            case 0x8B: push(.int(try long(length(4, signed: true)))) // LONG4
            case UInt8(ascii: "G"): // BINFLOAT, big-endian
                let bits = try take(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                push(.float(Double(bitPattern: bits)))
            case UInt8(ascii: "X"): push(try utf8(take(length(4)))) // BINUNICODE
            case 0x8C: push(try utf8(take(length(1)))) // SHORT_BINUNICODE
            case 0x8D: push(try utf8(take(length(8)))) // BINUNICODE8
            case UInt8(ascii: "T"): push(latin1(try take(length(4, signed: true)))) // BINSTRING
            case UInt8(ascii: "U"): push(latin1(try take(length(1)))) // SHORT_BINSTRING
            case UInt8(ascii: "B"): push(.bytes(Array(try take(length(4))))) // BINBYTES
            case UInt8(ascii: "C"): push(.bytes(Array(try take(length(1))))) // SHORT_BINBYTES
            case 0x8E: push(.bytes(Array(try take(length(8))))) // BINBYTES8
            case UInt8(ascii: "]"): push(try allocate(.list([])))
            case UInt8(ascii: "}"): push(try allocate(.dict(PickleDict())))
            case UInt8(ascii: ")"): push(try allocate(.tuple([])))
            case UInt8(ascii: "l"): let items = try popMark(); push(try allocate(.list(items), children: items))
            case UInt8(ascii: "t"): let items = try popMark(); push(try allocate(.tuple(items), children: items))
            case 0x85, 0x86, 0x87: // TUPLE1, TUPLE2, TUPLE3
                var items: [PickleValue] = []
                for _ in 0..<Int(op - 0x84) { items.insert(try pop(), at: 0) }
                push(try allocate(.tuple(items), children: items))
            case UInt8(ascii: "d"): // DICT
                let items = try popMark()
                let d = try allocate(.dict(PickleDict()))
                try setItems(items, into: d)
                push(d)
            case UInt8(ascii: "a"): // APPEND
                let v = try pop()
                try append([v], to: top())
            case UInt8(ascii: "e"): // APPENDS
                let items = try popMark()
                try append(items, to: top())
            case UInt8(ascii: "s"): // SETITEM
                let v = try pop(), k = try pop()
                try setItems([k, v], into: top())
            case UInt8(ascii: "u"): // SETITEMS
                let items = try popMark()
                try setItems(items, into: top())
            case UInt8(ascii: "c"): // GLOBAL
                let module = try line(), name = try line()
                push(try resolveGlobal(module: module, name: name))
            case 0x93: // STACK_GLOBAL
                guard case let .string(name) = try pop(), case let .string(module) = try pop() else {
                    throw fail("STACK_GLOBAL needs two strings")
                }
                push(try resolveGlobal(module: module, name: name))
            case UInt8(ascii: "R"), 0x81: // REDUCE, NEWOBJ
                let args = try pop(), callable = try pop()
                push(try call(callable, arguments: tupleItems(args, "the arguments of a call")))
            case UInt8(ascii: "b"): // BUILD
                let state = try pop()
                try build(try top(), state: state)
            case UInt8(ascii: "q"): memo[UInt32(try unsigned(1))] = try top() // BINPUT
            case UInt8(ascii: "r"): memo[UInt32(try unsigned(4))] = try top() // LONG_BINPUT
            case 0x94: memo[UInt32(truncatingIfNeeded: memo.count)] = try top() // MEMOIZE
            case UInt8(ascii: "h"), UInt8(ascii: "j"): // BINGET, LONG_BINGET
                let index = UInt32(try unsigned(op == UInt8(ascii: "h") ? 1 : 4))
                guard let v = memo[index] else { throw fail("memo entry \(index) is not defined") }
                push(v)
            case UInt8(ascii: "Q"): // BINPERSID
                push(try persistentLoad(try pop()))
            default:
                let printable = op >= 0x20 && op < 0x7F ? " ('\(Character(Unicode.Scalar(op)))')" : ""
                throw fail("opcode 0x\(String(op, radix: 16))\(printable) is not supported by the restricted unpickler")
            }
        }
        throw CheckpointError.truncated(file: file, message: "data.pkl ends without a STOP opcode")
    }

    // MARK: Opcode helpers

    /// A little-endian two's-complement integer of `n` bytes (LONG1/LONG4).
    mutating func long(_ n: Int) throws -> Int64 {
        guard n <= 8 else { throw fail("integer of \(n) bytes does not fit 64 bits") }
        guard n > 0 else { return 0 }
        let slice = try take(n)
        var value = slice.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        if n < 8 && slice.last! & 0x80 != 0 { value |= UInt64.max << UInt64(8 * n) }   // sign-extend
        return Int64(bitPattern: value)
    }

    func utf8(_ slice: ArraySlice<UInt8>) throws -> PickleValue {
        guard let s = String(bytes: slice, encoding: .utf8) else { throw fail("string is not valid UTF-8") }
        return .string(s)
    }

    func latin1(_ slice: ArraySlice<UInt8>) -> PickleValue {
        .string(String(String.UnicodeScalarView(slice.map { Unicode.Scalar($0) })))
    }
}
