import Foundation

/// Text in the lecture's two languages.
public struct Localized: Codable, Sendable, Hashable {
    public var zh: String
    public var en: String
    public init(zh: String, en: String) { self.zh = zh; self.en = en }
    public func text(_ language: Language) -> String { language == .zh ? zh : en }
}

public enum Language: String, Codable, Sendable, CaseIterable { case zh, en }

/// A parameter of a student's variant or an answer: numbers, lists of numbers, or text.
public enum Value: Codable, Sendable, Hashable, CustomStringConvertible {
    case integer(Int)
    case real(Double)
    case integers([Int])
    case reals([Double])
    case text(String)

    /// Every number in the value, as Doubles (integers exactly up to 2^53).
    public var numbers: [Double]? {
        switch self {
        case .integer(let i): return [Double(i)]
        case .real(let d): return [d]
        case .integers(let a): return a.map(Double.init)
        case .reals(let a): return a
        case .text: return nil
        }
    }

    public var description: String {
        switch self {
        case .integer(let i): return String(i)
        case .real(let d): return Value.format(d)
        case .integers(let a): return "[" + a.map(String.init).joined(separator: ", ") + "]"
        case .reals(let a): return "[" + a.map(Value.format).joined(separator: ", ") + "]"
        case .text(let s): return s
        }
    }

    /// Shortest form that round-trips to 6 significant digits (answers are rounded like this on sheets).
    public static func format(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d > 0 ? "inf" : "-inf" }
        if d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) }
        var s = String(format: "%.6g", d)
        if !s.contains("e"), s.contains(".") { while s.hasSuffix("0") { s.removeLast() } }
        return s
    }

    public var intValue: Int? { if case .integer(let i) = self { return i }; return nil }
    public var doubleValue: Double? {
        switch self { case .integer(let i): return Double(i); case .real(let d): return d; default: return nil }
    }
    public var intsValue: [Int]? { if case .integers(let a) = self { return a }; return nil }
    public var realsValue: [Double]? {
        switch self { case .reals(let a): return a; case .integers(let a): return a.map(Double.init); default: return nil }
    }
}

/// How close a given answer must be to the key.
public enum Tolerance: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Integers and shapes: equal.
    case exact
    /// |given − key| ≤ atol + rtol·|key| for every element.
    case relative(rtol: Double, atol: Double)
    /// Equal after rounding both to n significant figures.
    case significantFigures(Int)

    public func accepts(_ given: Double, _ key: Double) -> Bool {
        guard given.isFinite, key.isFinite else { return false }
        switch self {
        case .exact: return given == key
        case .relative(let rtol, let atol): return abs(given - key) <= atol + rtol * abs(key)
        case .significantFigures(let n):
            func round(_ x: Double) -> Double {
                if x == 0 { return 0 }
                let p = pow(10, Double(n) - ceil(log10(abs(x))))
                return (x * p).rounded() / p
            }
            return round(given) == round(key)
        }
    }

    public var description: String {
        switch self {
        case .exact: return "exact"
        case .relative(let r, let a): return "rtol \(Value.format(r)), atol \(Value.format(a))"
        case .significantFigures(let n): return "\(n) significant figures"
        }
    }
}

/// The named parameters of one student's variant, in a fixed order.
public struct Parameters: Codable, Sendable, Hashable {
    public private(set) var entries: [Entry]
    public struct Entry: Codable, Sendable, Hashable { public let name: String; public let value: Value }

    public init(_ pairs: KeyValuePairs<String, Value>) { entries = pairs.map { Entry(name: $0.key, value: $0.value) } }
    public init(entries: [Entry]) { self.entries = entries }

    public subscript(_ name: String) -> Value {
        guard let e = entries.first(where: { $0.name == name }) else {
            preconditionFailure("Parameters: no parameter named '\(name)' (have \(entries.map(\.name)))")
        }
        return e.value
    }
    public func int(_ name: String) -> Int { self[name].intValue ?? Int(self[name].doubleValue ?? .nan) }
    public func double(_ name: String) -> Double { self[name].doubleValue! }
    public func ints(_ name: String) -> [Int] { self[name].intsValue! }
    public func reals(_ name: String) -> [Double] { self[name].realsValue! }
    public func text(_ name: String) -> String { if case .text(let s) = self[name] { return s }; return self[name].description }
}
