import Testing
import Render

/// A fixed z range puts two surfaces on one height scale (loss landscapes compared side by side).
@Suite("SurfacePlot z range")
struct SurfaceZRangeTests {
    func commands(_ values: [Double], _ zRange: ClosedRange<Double>?) -> [DrawCommand] {
        SurfacePlot(grid: Grid(rows: 2, columns: 2, values: values), zRange: zRange).record(size: Size(200, 160)).commands
    }

    @Test func withoutARangeEachSurfaceFillsTheBox() {
        // A ramp to 1 and a ramp to 0.5 are drawn identically when each is fitted to its own data.
        #expect(commands([0, 1, 0, 1], nil) == commands([0, 0.5, 0, 0.5], nil))
        #expect(SurfacePlot(grid: Grid(rows: 1, columns: 2, values: [2, 7])).drawnZRange == (2, 7))
    }

    @Test func aSharedRangeKeepsHeightsComparable() {
        #expect(commands([0, 1, 0, 1], 0...1) != commands([0, 0.5, 0, 0.5], 0...1))
        #expect(SurfacePlot(grid: Grid(rows: 1, columns: 2, values: [2, 7]), zRange: 0...10).drawnZRange == (0, 10))
    }

    @Test func valuesBeyondTheRangeAreClamped() {
        // 5 lies above the range 0...1 and is drawn at its top, like 1.
        #expect(commands([0, 5, 0, 5], 0...1) == commands([0, 1, 0, 1], 0...1))
        #expect(commands([-3, 1, -3, 1], 0...1) == commands([0, 1, 0, 1], 0...1))
    }
}
