import Foundation

/// A grid of line-chart panels that share their x and y ranges, so panels compare at a glance.
/// Only the bottom row keeps the x label and only the left column the y label.
public struct SmallMultiples: Graphic {
    public var title: String?
    public var panels: [LineChart]
    public var columns: Int
    public var preferredSize: Size

    public init(title: String? = nil, panels: [LineChart], columns: Int = 3, size: Size? = nil) {
        precondition(columns > 0, "SmallMultiples: columns \(columns) must be positive")
        self.title = title; self.panels = panels; self.columns = columns
        let rows = max(1, (panels.count + columns - 1) / columns)
        self.preferredSize = size ?? Size(Double(min(columns, max(panels.count, 1))) * 170, Double(rows) * 140 + 24)
    }

    /// The panels with their shared ranges filled in.
    public var sharedPanels: [LineChart] {
        let xs = Axis.fit(panels.flatMap { $0.series.flatMap(\.x) }, scale: panels.first?.xScale ?? .linear)
        let ys = Axis.fit(panels.flatMap { $0.series.flatMap(\.y) }, scale: panels.first?.yScale ?? .linear)
        let rows = (panels.count + columns - 1) / columns
        return panels.enumerated().map { i, p in
            var p = p
            p.xRange = p.xRange ?? xs.lo...xs.hi
            p.yRange = p.yRange ?? ys.lo...ys.hi
            if i / columns != rows - 1 && i + columns < panels.count { p.xLabel = nil }
            if i % columns != 0 { p.yLabel = nil }
            p.legend = i == 0 ? p.legend : .none
            return p
        }
    }

    public func draw(in rect: Rect, on b: any RenderBackend, theme: Theme) {
        var r = rect
        if let title, !title.isEmpty {
            let t = TextBlock(plain: title, font: theme.titleFont, color: theme.ink, width: r.width - 12, alignment: .center)
            b.text(t, at: Point(r.minX + 6, r.minY + 6))
            r = r.inset(top: b.measurer.measure(t).height + 8)
        }
        guard !panels.isEmpty else {
            b.text(TextBlock(plain: "no panels", font: theme.noteFont, color: theme.muted), at: r.center, anchor: (0.5, 0.5)); return
        }
        let rows = (panels.count + columns - 1) / columns
        let w = r.width / Double(min(columns, panels.count)), h = r.height / Double(rows)
        var panelTheme = theme
        panelTheme.titleFont.size = theme.labelFont.size + 0.5
        for (i, p) in sharedPanels.enumerated() {
            let cell = Rect(x: r.minX + Double(i % columns) * w, y: r.minY + Double(i / columns) * h, width: w, height: h)
            p.draw(in: cell, on: b, theme: panelTheme)
        }
    }
}

/// A grid of small images with captions (convolution filters, feature maps, sample inputs).
public struct ImageGrid: Graphic {
    public struct Tile: Sendable {
        public var image: RasterImage
        public var label: String?
        public init(_ image: RasterImage, label: String? = nil) { self.image = image; self.label = label }
    }
    public var title: String?
    public var tiles: [Tile]
    public var columns: Int
    public var preferredSize: Size

    public init(title: String? = nil, tiles: [Tile], columns: Int = 8, size: Size? = nil) {
        precondition(columns > 0, "ImageGrid: columns \(columns) must be positive")
        self.title = title; self.tiles = tiles; self.columns = columns
        let rows = max(1, (tiles.count + columns - 1) / columns)
        self.preferredSize = size ?? Size(Double(min(columns, max(tiles.count, 1))) * 52 + 12, Double(rows) * 64 + 30)
    }

    /// Tiles from value grids, each scaled to its own min...max (or to one shared symmetric range
    /// with `.diverging`, so filter signs compare across tiles).
    public init(title: String? = nil, grids: [Grid], labels: [String] = [], colormap: Colormap = .gray, columns: Int = 8, size: Size? = nil) {
        let shared = grids.flatMap(\.values).filter(\.isFinite).map(abs).max() ?? 1
        let tiles = grids.enumerated().map { i, g -> Tile in
            let (lo, hi) = colormap == .diverging ? (-shared, shared) : g.finiteRange
            return Tile(colormap.image(g.values, width: g.columns, height: g.rows, lo: lo, hi: hi), label: i < labels.count ? labels[i] : nil)
        }
        self.init(title: title, tiles: tiles, columns: columns, size: size)
    }

    public func draw(in rect: Rect, on b: any RenderBackend, theme: Theme) {
        var r = rect.inset(by: 6)
        if let title, !title.isEmpty {
            let t = TextBlock(plain: title, font: theme.titleFont, color: theme.ink, width: r.width, alignment: .center)
            b.text(t, at: Point(r.minX, r.minY))
            r = r.inset(top: b.measurer.measure(t).height + 6)
        }
        guard !tiles.isEmpty else { return }
        let rows = (tiles.count + columns - 1) / columns
        let cols = min(columns, tiles.count)
        let labelH = tiles.contains { $0.label != nil } ? b.measurer.measure(TextBlock(plain: "Ag", font: theme.tickFont)).height + 2 : 0
        let cellW = r.width / Double(cols), cellH = r.height / Double(rows)
        for (i, tile) in tiles.enumerated() {
            let cell = Rect(x: r.minX + Double(i % columns) * cellW, y: r.minY + Double(i / columns) * cellH, width: cellW, height: cellH).inset(by: 2.5)
            let box = cell.inset(bottom: labelH)
            let aspect = Double(tile.image.width) / Double(tile.image.height)
            let w = min(box.width, box.height * aspect), h = w / aspect
            let img = Rect(x: box.midX - w / 2, y: box.minY + (box.height - h) / 2, width: w, height: h)
            b.drawImage(tile.image, in: img, smooth: false)
            b.strokeRect(img, StrokeStyle(color: theme.grid.mixed(with: .black, 0.3), width: 0.4))
            if let l = tile.label {
                b.text(TextBlock(plain: clipped(l, 14), font: theme.tickFont, color: theme.ink), at: Point(img.midX, img.maxY + 1.5), anchor: (0.5, 0))
            }
        }
    }
}
