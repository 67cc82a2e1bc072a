// Geometry in points (1/72 inch). The canvas is y-down with the origin at the top-left corner, as in
// Cairo; charts flip y once, in `PlotFrame` (Chart/Scale.swift), and nowhere else.
import Foundation

/// A position in points; y grows downwards.
public struct Point: Sendable, Equatable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
    public var description: String { "(\(x), \(y))" }
}

/// A width and a height in points.
public struct Size: Sendable, Equatable {
    public var width: Double
    public var height: Double
    public init(_ width: Double, _ height: Double) { self.width = width; self.height = height }
    /// ISO A4 portrait, 595.28 × 841.89 pt.
    public static let a4 = Size(595.28, 841.89)
}

/// An axis-aligned rectangle; `y` is its top edge.
public struct Rect: Sendable, Equatable, CustomStringConvertible {
    public var x: Double, y: Double, width: Double, height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public init(origin: Point, size: Size) { self.init(x: origin.x, y: origin.y, width: size.width, height: size.height) }
    public var minX: Double { x }
    public var maxX: Double { x + width }
    public var minY: Double { y }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }
    public var center: Point { Point(midX, midY) }
    public var size: Size { Size(width, height) }
    /// Shrinks each side by the given amounts (negative values grow it).
    public func inset(top: Double = 0, left: Double = 0, bottom: Double = 0, right: Double = 0) -> Rect {
        Rect(x: x + left, y: y + top, width: max(0, width - left - right), height: max(0, height - top - bottom))
    }
    public func inset(by d: Double) -> Rect { inset(top: d, left: d, bottom: d, right: d) }
    public func contains(_ p: Point) -> Bool { p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY }
    public func intersects(_ r: Rect) -> Bool { minX < r.maxX && r.minX < maxX && minY < r.maxY && r.minY < maxY }
    public var description: String { "Rect(x: \(x), y: \(y), w: \(width), h: \(height))" }
}

/// An sRGB colour with straight (not premultiplied) alpha, each channel in 0...1.
public struct Color: Sendable, Equatable, Hashable {
    public var red: Double, green: Double, blue: Double, alpha: Double
    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red; self.green = green; self.blue = blue; self.alpha = alpha
    }
    /// `Color(hex: 0x0072B2)` is Okabe–Ito blue.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(red: Double((hex >> 16) & 0xFF) / 255, green: Double((hex >> 8) & 0xFF) / 255,
                  blue: Double(hex & 0xFF) / 255, alpha: alpha)
    }
    public func withAlpha(_ a: Double) -> Color { Color(red: red, green: green, blue: blue, alpha: a) }
    /// Linear blend: t = 0 gives self, t = 1 gives `other`.
    public func mixed(with other: Color, _ t: Double) -> Color {
        Color(red: red + (other.red - red) * t, green: green + (other.green - green) * t,
              blue: blue + (other.blue - blue) * t, alpha: alpha + (other.alpha - alpha) * t)
    }
    /// `#rrggbb`, as Pango markup wants it.
    public var hexString: String {
        func c(_ v: Double) -> String { String(format: "%02x", Int((min(max(v, 0), 1) * 255).rounded())) }
        return "#" + c(red) + c(green) + c(blue)
    }
    public static let black = Color(hex: 0x000000)
    public static let white = Color(hex: 0xFFFFFF)
    public static let clear = Color(red: 0, green: 0, blue: 0, alpha: 0)
}

/// One step of a path.
public enum PathElement: Sendable, Equatable {
    case move(Point)
    case line(Point)
    case curve(Point, Point, Point)
    case close
}

/// A vector outline built from moves, lines and cubic Béziers.
public struct Path: Sendable, Equatable {
    public var elements: [PathElement] = []
    public init(_ elements: [PathElement] = []) { self.elements = elements }
    public mutating func move(to p: Point) { elements.append(.move(p)) }
    public mutating func line(to p: Point) { elements.append(.line(p)) }
    public mutating func curve(to p: Point, control1: Point, control2: Point) { elements.append(.curve(control1, control2, p)) }
    public mutating func close() { elements.append(.close) }
    public var isEmpty: Bool { elements.isEmpty }

    public static func line(_ a: Point, _ b: Point) -> Path { Path([.move(a), .line(b)]) }
    /// An open polyline through the points (no path if fewer than two).
    public static func polyline(_ points: [Point]) -> Path {
        guard let first = points.first, points.count > 1 else { return Path() }
        return Path([.move(first)] + points.dropFirst().map { .line($0) })
    }
    public static func polygon(_ points: [Point]) -> Path {
        var p = polyline(points); if !p.isEmpty { p.close() }; return p
    }
    public static func rect(_ r: Rect) -> Path {
        polygon([Point(r.minX, r.minY), Point(r.maxX, r.minY), Point(r.maxX, r.maxY), Point(r.minX, r.maxY)])
    }
    /// A rectangle with circular corners of the given radius (clamped to half the shorter side).
    public static func roundedRect(_ r: Rect, radius: Double) -> Path {
        let k = 0.5523 // cubic approximation of a quarter circle
        let rad = min(radius, r.width / 2, r.height / 2)
        guard rad > 0 else { return rect(r) }
        var p = Path()
        p.move(to: Point(r.minX + rad, r.minY))
        p.line(to: Point(r.maxX - rad, r.minY))
        p.curve(to: Point(r.maxX, r.minY + rad), control1: Point(r.maxX - rad + rad * k, r.minY), control2: Point(r.maxX, r.minY + rad - rad * k))
        p.line(to: Point(r.maxX, r.maxY - rad))
        p.curve(to: Point(r.maxX - rad, r.maxY), control1: Point(r.maxX, r.maxY - rad + rad * k), control2: Point(r.maxX - rad + rad * k, r.maxY))
        p.line(to: Point(r.minX + rad, r.maxY))
        p.curve(to: Point(r.minX, r.maxY - rad), control1: Point(r.minX + rad - rad * k, r.maxY), control2: Point(r.minX, r.maxY - rad + rad * k))
        p.line(to: Point(r.minX, r.minY + rad))
        p.curve(to: Point(r.minX + rad, r.minY), control1: Point(r.minX, r.minY + rad - rad * k), control2: Point(r.minX + rad - rad * k, r.minY))
        p.close()
        return p
    }
    public static func circle(center c: Point, radius r: Double) -> Path {
        let k = 0.5523 * r
        var p = Path()
        p.move(to: Point(c.x + r, c.y))
        p.curve(to: Point(c.x, c.y + r), control1: Point(c.x + r, c.y + k), control2: Point(c.x + k, c.y + r))
        p.curve(to: Point(c.x - r, c.y), control1: Point(c.x - k, c.y + r), control2: Point(c.x - r, c.y + k))
        p.curve(to: Point(c.x, c.y - r), control1: Point(c.x - r, c.y - k), control2: Point(c.x - k, c.y - r))
        p.curve(to: Point(c.x + r, c.y), control1: Point(c.x + k, c.y - r), control2: Point(c.x + r, c.y - k))
        p.close()
        return p
    }
}

/// How a path's outline is painted.
public struct StrokeStyle: Sendable, Equatable {
    public var color: Color
    public var width: Double
    /// Dash lengths in points; empty means solid.
    public var dash: [Double]
    public var roundCaps: Bool
    public init(color: Color, width: Double = 1, dash: [Double] = [], roundCaps: Bool = false) {
        self.color = color; self.width = width; self.dash = dash; self.roundCaps = roundCaps
    }
}
