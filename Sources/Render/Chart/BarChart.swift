import Foundation

/// Bar charts: simple, grouped (several series per category) and horizontal, on a linear or log
/// value axis. Values are printed on the bars when `showValues` is set.
///
///     BarChart(title: "Parameters", categories: ["LeNet-5", "AlexNet", "VGG-16"],
///              series: [.init("params", [61_706, 61.1e6, 138.4e6])], valueScale: .log)
public struct BarChart: Graphic {
    public struct Series: Sendable {
        public var name: String
        public var values: [Double]
        public var color: Color?
        public init(_ name: String, _ values: [Double], color: Color? = nil) { self.name = name; self.values = values; self.color = color }
    }
    public enum Orientation: Sendable { case vertical, horizontal }

    public var title: String?
    public var categoryLabel: String?
    public var valueLabel: String?
    public var categories: [String]
    public var series: [Series]
    public var orientation: Orientation
    public var valueScale: AxisScale
    public var showValues: Bool
    public var preferredSize: Size

    public init(title: String? = nil, categoryLabel: String? = nil, valueLabel: String? = nil, categories: [String],
                series: [Series], orientation: Orientation = .vertical, valueScale: AxisScale = .linear,
                showValues: Bool = false, size: Size = Size(360, 240)) {
        for s in series {
            precondition(s.values.count == categories.count, "BarChart: series '\(s.name)' has \(s.values.count) values for \(categories.count) categories")
        }
        self.title = title; self.categoryLabel = categoryLabel; self.valueLabel = valueLabel; self.categories = categories
        self.series = series; self.orientation = orientation; self.valueScale = valueScale; self.showValues = showValues
        self.preferredSize = size
    }

    /// The fitted value axis (linear axes always include zero).
    public var valueAxis: Axis { Axis.fit(series.flatMap(\.values), scale: valueScale, includeZero: true) }

    func layout(_ b: any RenderBackend, _ rect: Rect, _ theme: Theme) -> (AxesLayout, Rect, Int) {
        let ax = valueAxis
        let skipped = series.reduce(0) { $0 + $1.values.filter { !ax.accepts($0) }.count }
        let n = max(categories.count, 1)
        let valueTicks = ax.ticks.map { (ax.fraction($0), ax.tickLabel($0)) }
        let catTicks = categories.enumerated().map { ((Double($0.offset) + 0.5) / Double(n), Markup.escape(clipped($0.element, 28))) }
        var deco = AxesLayout(title: title, xLabel: nil, yLabel: nil, note: skippedNote(skipped, what: "non-finite or non-positive"), xTicks: [], yTicks: [])
        if orientation == .vertical {
            deco.xLabel = categoryLabel; deco.yLabel = valueLabel; deco.xTicks = catTicks; deco.yTicks = valueTicks
        } else {
            deco.xLabel = valueLabel; deco.yLabel = categoryLabel; deco.xTicks = valueTicks
            deco.yTicks = catTicks.map { (1 - $0.0, $0.1) }; deco.yGrid = false; deco.xGrid = true
        }
        return (deco, deco.plotRect(in: rect, measurer: b.measurer, theme: theme), skipped)
    }

    /// The plot rectangle inside `rect` (for checking where bars land).
    public func plotRect(in rect: Rect, measurer: any TextMeasurer, theme: Theme = .standard) -> Rect {
        layout(DisplayList(measurer: measurer), rect, theme).1
    }

    public func draw(in rect: Rect, on b: any RenderBackend, theme: Theme) {
        let (deco, plot, _) = layout(b, rect, theme)
        let ax = valueAxis
        deco.drawGrid(plot: plot, on: b, theme: theme)
        let n = max(categories.count, 1), k = max(series.count, 1)
        let band = (orientation == .vertical ? plot.width : plot.height) / Double(n)
        let barW = band * 0.78 / Double(k)
        let base = ax.scale == .log ? ax.lo : min(max(0, ax.lo), ax.hi)
        for (si, s) in series.enumerated() {
            let color = s.color ?? theme.color(si)
            for (ci, v) in s.values.enumerated() where ax.accepts(v) {
                let f0 = ax.fraction(base), f1 = ax.fraction(v)
                let start = band * Double(ci) + band * 0.11 + barW * Double(si)
                let r: Rect
                if orientation == .vertical {
                    let y0 = plot.maxY - f0 * plot.height, y1 = plot.maxY - f1 * plot.height
                    r = Rect(x: plot.minX + start, y: min(y0, y1), width: barW, height: abs(y1 - y0))
                } else {
                    let x0 = plot.minX + f0 * plot.width, x1 = plot.minX + f1 * plot.width
                    r = Rect(x: min(x0, x1), y: plot.minY + start, width: abs(x1 - x0), height: barW)
                }
                b.fillRect(r, color)
                if showValues {
                    let t = TextBlock(plain: Ticks.label(v), font: Font(.sans, size: 7), color: theme.ink)
                    if orientation == .vertical {
                        b.text(t, at: Point(r.midX, v >= base ? r.minY - 1.5 : r.maxY + 1.5), anchor: (0.5, v >= base ? 1 : 0))
                    } else {
                        b.text(t, at: Point(r.maxX + 2, r.midY), anchor: (0, 0.5))
                    }
                }
            }
        }
        deco.drawDecorations(outer: rect, plot: plot, on: b, theme: theme)
        if series.count > 1 {
            drawLegend(series.enumerated().map { LegendEntry(name: $0.element.name, color: $0.element.color ?? theme.color($0.offset), line: false, marker: nil) },
                       in: plot, position: orientation == .vertical ? .topLeft : .bottomRight, on: b, theme: theme)
        }
    }
}
