import Foundation

/// A shaded 3-D surface z = f(x, y) seen from an azimuth and elevation (loss landscapes).
/// Quads are painted back to front and lit by a fixed light (Lambert shading over the colour map).
public struct SurfacePlot: Graphic {
    public var title: String?
    public var grid: Grid
    /// Viewing angles in degrees.
    public var azimuth: Double
    public var elevation: Double
    public var colormap: Colormap
    public var zLabel: String?
    /// The z values mapped to the bottom and top of the box (values outside are clamped); nil fits
    /// the data. A fixed range lets two surfaces be compared by height.
    public var zRange: ClosedRange<Double>?
    public var preferredSize: Size

    public init(title: String? = nil, grid: Grid, azimuth: Double = -50, elevation: Double = 32,
                colormap: Colormap = .viridis, zLabel: String? = nil, zRange: ClosedRange<Double>? = nil,
                size: Size = Size(340, 280)) {
        self.title = title; self.grid = grid; self.azimuth = azimuth; self.elevation = elevation
        self.colormap = colormap; self.zLabel = zLabel; self.zRange = zRange; self.preferredSize = size
    }

    /// The z range drawn: `zRange`, or the finite range of the data.
    public var drawnZRange: (lo: Double, hi: Double) {
        if let zRange { return (zRange.lowerBound, zRange.upperBound) }
        let (lo, hi) = grid.finiteRange
        return (lo, hi)
    }

    public func draw(in rect: Rect, on b: any RenderBackend, theme: Theme) {
        var r = rect.inset(by: 6)
        if let title, !title.isEmpty {
            let t = TextBlock(plain: title, font: theme.titleFont, color: theme.ink, width: r.width, alignment: .center)
            b.text(t, at: Point(r.minX, r.minY))
            r = r.inset(top: b.measurer.measure(t).height + 6)
        }
        let bad = grid.values.filter { !$0.isFinite }.count
        if let note = skippedNote(bad, what: "non-finite") {
            let n = b.text(TextBlock(plain: note, font: theme.noteFont, color: Color(hex: 0xB04A00)), at: Point(r.minX, r.maxY), anchor: (0, 1))
            r = r.inset(bottom: n.height + 2)
        }
        guard grid.rows > 1, grid.columns > 1 else { return }
        let (lo, hi) = drawnZRange
        let span = max(hi - lo, 1e-12)
        let az = azimuth * .pi / 180, el = elevation * .pi / 180
        // World: x, y in -1...1, z in 0...0.9. Camera: screen up = z·cos(el) + y'·sin(el); depth = y'·cos(el) − z·sin(el).
        func world(_ rr: Int, _ c: Int) -> (Double, Double, Double)? {
            let z = grid[rr, c]
            guard z.isFinite else { return nil }
            return (2 * Double(c) / Double(grid.columns - 1) - 1, 2 * Double(rr) / Double(grid.rows - 1) - 1, 0.9 * (min(max(z, lo), hi) - lo) / span)
        }
        func project(_ p: (Double, Double, Double)) -> (x: Double, up: Double, depth: Double) {
            let x1 = p.0 * cos(az) - p.1 * sin(az), y1 = p.0 * sin(az) + p.1 * cos(az)
            return (x1, p.2 * cos(el) + y1 * sin(el), y1 * cos(el) - p.2 * sin(el))
        }
        struct Quad { var pts: [(x: Double, up: Double)]; var depth: Double; var color: Color }
        var quads: [Quad] = []
        let light = { () -> (Double, Double, Double) in let v = (-0.5, -0.8, 1.2); let n = (v.0 * v.0 + v.1 * v.1 + v.2 * v.2).squareRoot(); return (v.0 / n, v.1 / n, v.2 / n) }()
        for rr in 0..<(grid.rows - 1) {
            for c in 0..<(grid.columns - 1) {
                guard let p00 = world(rr, c), let p01 = world(rr, c + 1), let p11 = world(rr + 1, c + 1), let p10 = world(rr + 1, c) else { continue }
                let u = (p11.0 - p00.0, p11.1 - p00.1, p11.2 - p00.2), v = (p01.0 - p10.0, p01.1 - p10.1, p01.2 - p10.2)
                var n = (u.1 * v.2 - u.2 * v.1, u.2 * v.0 - u.0 * v.2, u.0 * v.1 - u.1 * v.0)
                let len = max((n.0 * n.0 + n.1 * n.1 + n.2 * n.2).squareRoot(), 1e-12)
                n = (n.0 / len, n.1 / len, n.2 / len)
                if n.2 < 0 { n = (-n.0, -n.1, -n.2) }
                let lambert = max(0, n.0 * light.0 + n.1 * light.1 + n.2 * light.2)
                let zMean = (p00.2 + p01.2 + p11.2 + p10.2) / 4 / 0.9
                let base = colormap.color(zMean)
                let shade = 0.45 + 0.55 * lambert
                let color = Color(red: base.red * shade, green: base.green * shade, blue: base.blue * shade)
                let pr = [p00, p01, p11, p10].map(project)
                quads.append(Quad(pts: pr.map { ($0.x, $0.up) }, depth: pr.map(\.depth).reduce(0, +) / 4, color: color))
            }
        }
        let corners = [(-1.0, -1.0), (1, -1), (1, 1), (-1, 1)]
        let floor = corners.map { project(($0.0, $0.1, -0.12)) }
        let allX = quads.flatMap { $0.pts.map(\.x) } + floor.map(\.x), allUp = quads.flatMap { $0.pts.map(\.up) } + floor.map(\.up) + [0.9 * cos(el)]
        guard let minX = allX.min(), let maxX = allX.max(), let minU = allUp.min(), let maxU = allUp.max() else { return }
        let scale = min(r.width / (maxX - minX), r.height / (maxU - minU)) * 0.96
        let cx = r.midX - (minX + maxX) / 2 * scale, cy = r.midY + (minU + maxU) / 2 * scale
        func page(_ p: (x: Double, up: Double)) -> Point { Point(cx + p.x * scale, cy - p.up * scale) }
        // Floor outline first, then quads from far to near.
        b.fill(.polygon(floor.map { page(($0.x, $0.up)) }), color: Color(hex: 0xF2F2F2))
        b.stroke(.polygon(floor.map { page(($0.x, $0.up)) }), style: StrokeStyle(color: theme.muted, width: 0.6))
        for q in quads.sorted(by: { $0.depth > $1.depth }) {
            let path = Path.polygon(q.pts.map(page))
            b.fill(path, color: q.color)
            b.stroke(path, style: StrokeStyle(color: q.color.mixed(with: .black, 0.25), width: 0.25))
        }
        if let zLabel {
            b.text(TextBlock(plain: zLabel, font: theme.labelFont, color: theme.ink), at: Point(r.minX, r.minY))
        }
    }
}
