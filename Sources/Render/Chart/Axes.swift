// Shared axis machinery for line, scatter, bar and small-multiple charts: scales, the plot frame
// (where data coordinates become page points, and the single y-flip), and the decorations around it.
import Foundation

/// Linear or base-10 logarithmic axis.
public enum AxisScale: Sendable, Equatable { case linear, log }

/// One numeric axis: a scale, a range and its ticks.
public struct Axis: Sendable, Equatable {
    public var scale: AxisScale
    public var lo: Double
    public var hi: Double
    public var ticks: [Double]

    /// Fits an axis to `values` (non-finite values, and non-positive ones on a log axis, are ignored).
    /// `fixed` pins the range exactly (ticks are still nice); `includeZero` is for bars.
    public static func fit(_ values: [Double], scale: AxisScale, fixed: ClosedRange<Double>? = nil, includeZero: Bool = false) -> Axis {
        if let f = fixed {
            if scale == .log {
                let t = Ticks.log(f.lowerBound, f.upperBound)
                return Axis(scale: .log, lo: f.lowerBound > 0 ? f.lowerBound : t.lo, hi: f.upperBound > 0 ? f.upperBound : t.hi,
                            ticks: t.ticks.filter { $0 >= f.lowerBound * (1 - 1e-9) && $0 <= f.upperBound * (1 + 1e-9) })
            }
            let t = Ticks.linear(f.lowerBound, f.upperBound, snap: false)
            return Axis(scale: .linear, lo: t.lo, hi: t.hi, ticks: t.ticks)
        }
        let usable = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        var lo = usable.min() ?? (scale == .log ? 1 : 0), hi = usable.max() ?? (scale == .log ? 10 : 1)
        if includeZero && scale == .linear { lo = min(lo, 0); hi = max(hi, 0) }
        if scale == .log {
            let t = Ticks.log(lo, hi)
            return Axis(scale: .log, lo: t.lo, hi: t.hi, ticks: t.ticks)
        }
        let t = Ticks.linear(lo, hi)
        return Axis(scale: .linear, lo: t.lo, hi: t.hi, ticks: t.ticks)
    }

    /// Position of `v` along the axis as a fraction in 0...1 (outside for out-of-range values).
    public func fraction(_ v: Double) -> Double {
        switch scale {
        case .linear: return (v - lo) / (hi - lo)
        case .log: return (log10(v) - log10(lo)) / (log10(hi) - log10(lo))
        }
    }

    /// Whether `v` can be placed on this axis (finite, and positive on a log axis).
    public func accepts(_ v: Double) -> Bool { v.isFinite && (scale == .linear || v > 0) }

    /// Tick label markup.
    public func tickLabel(_ v: Double) -> String {
        switch scale {
        case .log: return Ticks.logLabel(v)
        case .linear: return Markup.escape(Ticks.label(v, step: ticks.count > 1 ? ticks[1] - ticks[0] : nil))
        }
    }
}

/// The plot rectangle with its two axes; maps data to page points. y grows upwards in data space
/// and downwards on the page: this is the one place where the flip happens.
public struct PlotFrame: Sendable {
    public var rect: Rect
    public var x: Axis
    public var y: Axis
    public func point(_ dx: Double, _ dy: Double) -> Point {
        Point(rect.minX + x.fraction(dx) * rect.width, rect.maxY - y.fraction(dy) * rect.height)
    }
}

/// Title, axis labels, ticks and grid around a plot area.
struct AxesLayout {
    var title: String?
    var xLabel: String?
    var yLabel: String?
    var note: String?
    /// Tick label markup and fractional positions for each axis (numeric or categorical).
    var xTicks: [(pos: Double, label: String)]
    var yTicks: [(pos: Double, label: String)]
    var xGrid = false
    var yGrid = true
    var rightPadding = 12.0

    /// Measures every label and returns the plot rectangle inside `rect`.
    func plotRect(in rect: Rect, measurer: any TextMeasurer, theme: Theme) -> Rect {
        var r = rect.inset(by: 6)
        if let title, !title.isEmpty {
            r = r.inset(top: measurer.measure(titleBlock(title, width: r.width, theme)).height + 6)
        }
        if let note, !note.isEmpty { r = r.inset(bottom: measurer.measure(TextBlock(plain: note, font: theme.noteFont)).height + 2) }
        if let xLabel, !xLabel.isEmpty { r = r.inset(bottom: measurer.measure(TextBlock(plain: xLabel, font: theme.labelFont)).height + 3) }
        if let yLabel, !yLabel.isEmpty { r = r.inset(left: measurer.measure(TextBlock(plain: yLabel, font: theme.labelFont)).height + 4) }
        let xTickH = xTicks.map { measurer.measure(TextBlock(markup: $0.label, font: theme.tickFont)).height }.max() ?? 0
        let yTickW = yTicks.map { measurer.measure(TextBlock(markup: $0.label, font: theme.tickFont)).width }.max() ?? 0
        return r.inset(top: 4, left: yTickW + 6, bottom: xTickH + 5, right: rightPadding)
    }

    func titleBlock(_ t: String, width: Double, _ theme: Theme) -> TextBlock {
        TextBlock(plain: t, font: theme.titleFont, color: theme.ink, width: width, alignment: .center)
    }

    /// Draws grid lines (under the data).
    func drawGrid(plot: Rect, on b: any RenderBackend, theme: Theme) {
        let g = StrokeStyle(color: theme.grid, width: 0.6)
        if yGrid { for t in yTicks { let y = plot.maxY - t.pos * plot.height; b.line(Point(plot.minX, y), Point(plot.maxX, y), g) } }
        if xGrid { for t in xTicks { let x = plot.minX + t.pos * plot.width; b.line(Point(x, plot.minY), Point(x, plot.maxY), g) } }
    }

    /// Draws the frame, ticks and all labels (over the data).
    func drawDecorations(outer rect: Rect, plot: Rect, on b: any RenderBackend, theme: Theme) {
        let axis = StrokeStyle(color: theme.axis, width: theme.axisWidth)
        b.line(Point(plot.minX, plot.maxY), Point(plot.maxX, plot.maxY), axis)
        b.line(Point(plot.minX, plot.minY), Point(plot.minX, plot.maxY), axis)
        for t in xTicks {
            let x = plot.minX + t.pos * plot.width
            b.line(Point(x, plot.maxY), Point(x, plot.maxY + 3), axis)
            b.text(TextBlock(markup: t.label, font: theme.tickFont, color: theme.ink), at: Point(x, plot.maxY + 4), anchor: (0.5, 0))
        }
        for t in yTicks {
            let y = plot.maxY - t.pos * plot.height
            b.line(Point(plot.minX - 3, y), Point(plot.minX, y), axis)
            b.text(TextBlock(markup: t.label, font: theme.tickFont, color: theme.ink), at: Point(plot.minX - 5, y), anchor: (1, 0.5))
        }
        let inner = rect.inset(by: 6)
        if let title, !title.isEmpty {
            b.text(titleBlock(title, width: inner.width, theme), at: Point(inner.minX, inner.minY))
        }
        var bottom = inner.maxY
        if let note, !note.isEmpty {
            let r = b.text(TextBlock(plain: note, font: theme.noteFont, color: Color(hex: 0xB04A00)), at: Point(inner.minX, bottom), anchor: (0, 1))
            bottom = r.minY - 2
        }
        if let xLabel, !xLabel.isEmpty {
            b.text(TextBlock(plain: xLabel, font: theme.labelFont, color: theme.ink), at: Point(plot.midX, bottom), anchor: (0.5, 1))
        }
        if let yLabel, !yLabel.isEmpty {
            b.text(TextBlock(plain: yLabel, font: theme.labelFont, color: theme.ink), at: Point(inner.minX, plot.midY),
                   anchor: (0.5, 0), angle: -Double.pi / 2)
        }
    }
}

/// Where a legend sits inside the plot.
public enum LegendPosition: Sendable, Equatable { case topRight, topLeft, bottomRight, bottomLeft, none }

/// A legend entry: a name, a colour and how to draw its key.
struct LegendEntry { var name: String; var color: Color; var line: Bool; var marker: MarkerShape?; var dash: [Double] = [] }

func drawLegend(_ entries: [LegendEntry], in plot: Rect, position: LegendPosition, on b: any RenderBackend, theme: Theme) {
    guard position != .none, !entries.isEmpty else { return }
    let blocks = entries.map { TextBlock(plain: clipped($0.name, 36), font: theme.tickFont, color: theme.ink) }
    let ms = blocks.map { b.measurer.measure($0) }
    let rowH = max(11, (ms.map(\.height).max() ?? 10) + 2)
    let w = (ms.map(\.width).max() ?? 0) + 30, h = rowH * Double(entries.count) + 6
    let x = (position == .topLeft || position == .bottomLeft) ? plot.minX + 6 : plot.maxX - w - 6
    let y = (position == .topLeft || position == .topRight) ? plot.minY + 6 : plot.maxY - h - 6
    let box = Rect(x: x, y: y, width: w, height: h)
    b.fill(.roundedRect(box, radius: 2), color: Color.white.withAlpha(0.88))
    b.stroke(.roundedRect(box, radius: 2), style: StrokeStyle(color: theme.grid, width: 0.6))
    for (i, e) in entries.enumerated() {
        let cy = y + 3 + rowH * (Double(i) + 0.5)
        if e.line { b.line(Point(x + 5, cy), Point(x + 21, cy), StrokeStyle(color: e.color, width: theme.lineWidth, dash: e.dash)) }
        if let m = e.marker { drawMarker(m, at: Point(x + 13, cy), radius: theme.markerRadius, color: e.color, on: b) }
        if !e.line && e.marker == nil { b.fillRect(Rect(x: x + 7, y: cy - 4, width: 12, height: 8), e.color) }
        b.text(blocks[i], at: Point(x + 25, cy), anchor: (0, 0.5))
    }
}

/// Marker shapes for line and scatter series.
public enum MarkerShape: Sendable, Equatable { case circle, square, triangle, diamond }

func drawMarker(_ m: MarkerShape, at p: Point, radius r: Double, color: Color, on b: any RenderBackend) {
    switch m {
    case .circle: b.fill(.circle(center: p, radius: r), color: color)
    case .square: b.fillRect(Rect(x: p.x - r * 0.9, y: p.y - r * 0.9, width: r * 1.8, height: r * 1.8), color)
    case .triangle: b.fill(.polygon([Point(p.x, p.y - r * 1.2), Point(p.x + r * 1.1, p.y + r * 0.8), Point(p.x - r * 1.1, p.y + r * 0.8)]), color: color)
    case .diamond: b.fill(.polygon([Point(p.x, p.y - r * 1.3), Point(p.x + r, p.y), Point(p.x, p.y + r * 1.3), Point(p.x - r, p.y)]), color: color)
    }
}

/// "3 non-finite points skipped" style note, in the chart's language.
func skippedNote(_ n: Int, what: String = "non-finite") -> String? {
    n == 0 ? nil : "Note: \(n) \(what) point\(n == 1 ? "" : "s") skipped"
}
