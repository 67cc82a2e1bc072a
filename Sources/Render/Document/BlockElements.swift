import Foundation

/// A table in booktabs style (rules, no verticals, light zebra rows). Column widths follow the
/// content and shrink to the text width; rows split across pages and each continuation repeats
/// the header under a "(continued)" caption. The caption, header and first row start together.
final class TableElement: FlowElement {
    let table: Table
    let caption: String?
    let continued: String
    unowned let engine: LayoutEngine
    var header: [String] = []
    var cells: [[String]] = []
    var cached: (width: Double, columns: [Double], headerH: Double, rowH: [Double])?
    var next = 0
    var fragments = 0
    let padX = 5.0, padY = 3.0

    init(table: Table, caption: String?, continued: String, engine: LayoutEngine, location: String) {
        self.table = table; self.caption = caption; self.continued = continued; self.engine = engine
        header = table.header.map { "<b>" + engine.inline($0, where: location) + "</b>" }
        cells = table.rows.map { $0.map { engine.inline($0, where: location) } }
    }
    var spaceBefore: Double { 10 }
    var style: DocumentStyle { engine.document.style }

    func cell(_ markup: String, _ column: Int, width: Double) -> TextBlock {
        TextBlock(markup: markup, font: style.table, color: style.ink, width: max(10, width - 2 * padX), alignment: table.alignment[column])
    }

    func prepared(_ width: Double) -> (columns: [Double], headerH: Double, rowH: [Double]) {
        if let c = cached, c.width == width { return (c.columns, c.headerH, c.rowH) }
        let m = engine.measurer
        let n = max(table.header.count, 1)
        var natural = [Double](repeating: 30, count: n)
        for row in [header] + cells { for (i, c) in row.enumerated() {
            natural[i] = max(natural[i], m.measure(TextBlock(markup: c, font: style.table)).width + 2 * padX + 1)
        } }
        var columns = natural
        let total = natural.reduce(0, +)
        if total > width {
            // Narrow columns keep their natural width; wide ones share what is left in proportion.
            let fair = width / Double(n)
            let small = natural.filter { $0 <= fair }.reduce(0, +)
            let big = natural.filter { $0 > fair }.reduce(0, +)
            columns = natural.map { $0 <= fair ? $0 : $0 / big * (width - small) }
        } else if total > width * 0.6 {
            columns = natural.map { $0 / total * width }
        }
        func rowHeight(_ row: [String]) -> Double {
            row.enumerated().map { m.measure(cell($0.element, $0.offset, width: columns[$0.offset])).height }.max().map { $0 + 2 * padY } ?? 12
        }
        let headerH = rowHeight(header)
        let rowH = cells.map(rowHeight)
        cached = (width, columns, headerH, rowH)
        return (columns, headerH, rowH)
    }

    func captionBlock(_ width: Double) -> TextBlock? {
        let text = fragments == 0 ? caption : (caption == nil ? nil : continued)
        return text.map { TextBlock(markup: $0, font: style.caption, color: style.ink, width: width) }
    }

    func minimumHeight(width: Double) -> Double {
        let (_, hh, rows) = prepared(width)
        return (captionBlock(width).map { engine.measurer.measure($0).height + 4 } ?? 0) + hh + (rows.first ?? 0)
    }

    func render(in area: Rect, page: PageBuilder, pageIsEmpty: Bool) -> (used: Double, hasMore: Bool) {
        let (columns, headerH, rowH) = prepared(area.width)
        let tableW = columns.reduce(0, +)
        let x0 = area.minX + max(0, (area.width - tableW) / 2)
        var cap = captionBlock(area.width)
        if let c = cap, engine.measurer.measure(TextBlock(markup: c.markup, font: c.font)).width <= area.width { cap?.alignment = .center }
        let capH = cap.map { engine.measurer.measure($0).height + 4 } ?? 0
        var y = area.minY + capH + headerH
        var end = next
        while end < rowH.count, y + rowH[end] <= area.maxY + 0.01 { y += rowH[end]; end += 1 }
        if end == next && !rowH.isEmpty {
            if !pageIsEmpty { return (0, true) }
            end = next + 1; y += rowH[next]
        }
        let top = area.minY
        let rows = Array(next..<end)
        let header = self.header, cells = self.cells
        let xs = columns.indices.map { x0 + columns[..<$0].reduce(0, +) }
        let capOrigin = Point(area.minX, top)
        page.draw { [self] b in
            if let cap { b.drawText(cap, at: capOrigin, angle: 0, lines: nil) }
            let ht = top + capH
            b.fillRect(Rect(x: x0, y: ht, width: tableW, height: headerH), Color(hex: 0xEDF2F7))
            b.line(Point(x0, ht), Point(x0 + tableW, ht), StrokeStyle(color: style.ink, width: 1))
            for (i, c) in header.enumerated() { b.drawText(cell(c, i, width: columns[i]), at: Point(xs[i] + padX, ht + padY), angle: 0, lines: nil) }
            var ry = ht + headerH
            b.line(Point(x0, ry), Point(x0 + tableW, ry), StrokeStyle(color: style.ink, width: 0.5))
            for r in rows {
                if r % 2 == 1 { b.fillRect(Rect(x: x0, y: ry, width: tableW, height: rowH[r]), Color(hex: 0xF7F7F7)) }
                for (i, c) in cells[r].enumerated() { b.drawText(cell(c, i, width: columns[i]), at: Point(xs[i] + padX, ry + padY), angle: 0, lines: nil) }
                ry += rowH[r]
            }
            b.line(Point(x0, ry), Point(x0 + tableW, ry), StrokeStyle(color: style.ink, width: end == rowH.count ? 1 : 0.5))
        }
        if let cap { page.place(.tableCaption, Markup.plainText(cap.markup), Rect(origin: capOrigin, size: Size(tableW, capH))) }
        page.place(.tableHeader, header.map(Markup.plainText).joined(separator: " | "), Rect(x: x0, y: top + capH, width: tableW, height: headerH))
        var ry = top + capH + headerH
        for r in rows {
            page.place(.tableRow, cells[r].map(Markup.plainText).joined(separator: " | "), Rect(x: x0, y: ry, width: tableW, height: rowH[r]))
            ry += rowH[r]
        }
        next = end; fragments += 1
        return (y - top, end < rowH.count)
    }
}

/// A figure and its numbered caption, placed as one unit (a caption never starts a page alone).
/// A figure taller than the page is scaled down to fit.
final class FigureElement: FlowElement {
    let figure: Figure
    let caption: String
    unowned let engine: LayoutEngine
    var image: RasterImage?

    init(figure: Figure, caption: String, engine: LayoutEngine, location: String) {
        self.figure = figure; self.caption = caption; self.engine = engine
        if case .imageFile(let url) = figure.content {
            do { image = try Bitmap.read(png: url).rasterImage }
            catch { engine.errors.append(RenderError(kind: .io(path: url.path, reason: "figure image (\(location)) cannot be read: \(error)"))) }
        }
    }
    var spaceBefore: Double { 12 }
    var aspect: Double {
        switch figure.content {
        case .graphic(let g): return g.preferredSize.height / max(g.preferredSize.width, 1)
        case .imageFile: return image.map { Double($0.height) / Double($0.width) } ?? 0.5
        }
    }
    func captionBlock(_ width: Double) -> TextBlock {
        TextBlock(markup: caption, font: engine.document.style.caption, color: engine.document.style.ink, width: width, lineSpacing: 0.2)
    }
    func size(width: Double, maxHeight: Double) -> (Size, Double) {
        var w = min(1, max(0.1, figure.widthFraction)) * width
        if case .graphic(let g) = figure.content { w = min(w, g.preferredSize.width) }
        let capH = engine.measurer.measure(captionBlock(min(width, max(w, width * 0.7)))).height
        var h = w * aspect
        if h + capH + 6 > maxHeight { h = max(40, maxHeight - capH - 6); w = h / aspect }
        return (Size(w, h), capH)
    }
    func minimumHeight(width: Double) -> Double {
        let (s, c) = size(width: width, maxHeight: engine.content.height); return s.height + c + 6
    }
    func render(in area: Rect, page: PageBuilder, pageIsEmpty: Bool) -> (used: Double, hasMore: Bool) {
        let (s, capH) = size(width: area.width, maxHeight: engine.content.height)
        let total = s.height + 6 + capH
        if total > area.height + 0.01 && !pageIsEmpty { return (0, true) }
        let rect = Rect(x: area.midX - s.width / 2, y: area.minY, width: s.width, height: s.height)
        let capW = min(area.width, max(s.width, area.width * 0.7))
        let cap = captionBlock(capW)
        let capOrigin = Point(area.midX - capW / 2, rect.maxY + 6)
        let content = figure.content, image = self.image
        let single = engine.measurer.measure(TextBlock(markup: caption, font: cap.font)).width <= capW
        var shown = cap
        if single { shown.alignment = .center }   // a one-line caption is centred, a longer one justified left
        page.draw { b in
            switch content {
            case .graphic(let g): g.draw(in: rect, on: b, theme: .standard)
            case .imageFile: if let image { b.drawImage(image, in: rect, smooth: true) }
            }
            b.drawText(shown, at: capOrigin, angle: 0, lines: nil)
        }
        page.place(.figure, Markup.plainText(caption), rect)
        page.place(.caption, Markup.plainText(caption), Rect(origin: capOrigin, size: Size(capW, capH)))
        return (total, false)
    }
}
