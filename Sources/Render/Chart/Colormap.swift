import Foundation

/// Sequential and diverging colour maps, sampled by piecewise-linear interpolation of key colours.
public enum Colormap: Sendable, Equatable {
    /// Perceptually uniform dark-blue → green → yellow (key colours of matplotlib's viridis).
    case viridis
    /// Blue → white → red, for signed data centred on zero (filters, gradients).
    case diverging
    /// Black → white.
    case gray

    var stops: [Color] {
        switch self {
        case .viridis: [0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725].map { Color(hex: $0) }
        case .diverging: [0x2166AC, 0x67A9CF, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xEF8A62, 0xB2182B].map { Color(hex: $0) }
        case .gray: [Color.black, Color.white]
        }
    }

    /// The colour at t in 0...1 (clamped; NaN gives mid-grey).
    public func color(_ t: Double) -> Color {
        guard t.isFinite else { return Color(hex: 0xBBBBBB) }
        let s = stops, x = min(max(t, 0), 1) * Double(s.count - 1)
        let i = min(Int(x), s.count - 2)
        return s[i].mixed(with: s[i + 1], x - Double(i))
    }

    /// Maps a row-major matrix to an RGBA image between `lo` and `hi`.
    func image(_ values: [Double], width: Int, height: Int, lo: Double, hi: Double) -> RasterImage {
        var px = [UInt8](repeating: 255, count: width * height * 4)
        let span = hi - lo
        for i in 0..<(width * height) {
            let c = color(span > 0 ? (values[i] - lo) / span : 0.5)
            px[4 * i] = UInt8((c.red * 255).rounded()); px[4 * i + 1] = UInt8((c.green * 255).rounded()); px[4 * i + 2] = UInt8((c.blue * 255).rounded())
        }
        return RasterImage(width: width, height: height, rgba: px)
    }
}

/// A row-major grid of values, `rows × columns`, for heatmaps, contours and surfaces.
public struct Grid: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    public var values: [Double]
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(rows > 0 && columns > 0, "Grid: \(rows)x\(columns) must have at least one cell")
        precondition(values.count == rows * columns, "Grid: \(values.count) values for \(rows)x\(columns)")
        self.rows = rows; self.columns = columns; self.values = values
    }
    /// Samples `f(x, y)` on an evenly spaced grid over the given ranges (row 0 is y = y.lowerBound).
    public init(x: ClosedRange<Double>, y: ClosedRange<Double>, rows: Int, columns: Int, _ f: (Double, Double) -> Double) {
        var v: [Double] = []
        v.reserveCapacity(rows * columns)
        for r in 0..<rows {
            let yy = y.lowerBound + (y.upperBound - y.lowerBound) * Double(r) / Double(max(rows - 1, 1))
            for c in 0..<columns { v.append(f(x.lowerBound + (x.upperBound - x.lowerBound) * Double(c) / Double(max(columns - 1, 1)), yy)) }
        }
        self.init(rows: rows, columns: columns, values: v)
    }
    public subscript(r: Int, c: Int) -> Double { values[r * columns + c] }
    /// Minimum and maximum of the finite values (0...1 if there are none).
    public var finiteRange: (lo: Double, hi: Double) {
        let f = values.filter(\.isFinite)
        return (f.min() ?? 0, f.max() ?? 1)
    }
}
