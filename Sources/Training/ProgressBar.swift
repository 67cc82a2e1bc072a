import CNN
import Foundation

/// A one-line progress display for an epoch: bar, step count, rate, running loss and ETA.
///
///     epoch 3/10 [########------------]  190/469  5,120 img/s  loss 0.4312  ETA 0:07
///
/// On a terminal the line redraws in place (at most every 0.1 s); when standard output is not a
/// terminal (CI, a log file, the notebook cache) it prints a plain line at every 10% instead.
public final class ProgressBar {
    public enum Mode: Sendable {
        /// `.bar` when standard output is a terminal (`isatty`), `.lines` otherwise.
        case automatic
        case bar
        case lines
        case silent
    }

    public let mode: Mode
    private let write: (String) -> Void
    private var title = ""
    private var total = 0
    private var start = Date()
    private var lastDraw = Date.distantPast
    private var lastLoggedDecile = 0

    /// `write` receives raw text (default: standard output, flushed).
    public init(mode: Mode = .automatic, write: ((String) -> Void)? = nil) {
        switch mode {
        case .automatic: self.mode = isatty(STDOUT_FILENO) == 1 ? .bar : .lines
        default: self.mode = mode
        }
        self.write = write ?? { text in FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    /// Starts an epoch of `total` steps.
    public func begin(_ title: String, total: Int) {
        self.title = title; self.total = total
        start = Date(); lastDraw = .distantPast; lastLoggedDecile = 0
    }

    /// Reports that `step` of `total` steps are done, `samples` samples seen, running `loss`.
    public func update(step: Int, samples: Int, loss: Double) {
        let elapsed = Date().timeIntervalSince(start)
        switch mode {
        case .bar:
            guard step == total || Date().timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = Date()
            write("\r\u{1B}[2K" + Self.line(title: title, step: step, total: total, samples: samples, loss: loss, elapsed: elapsed))
        case .lines:
            let decile = total > 0 ? step * 10 / total : 10
            guard decile > lastLoggedDecile else { return }
            lastLoggedDecile = decile
            write(Self.line(title: title, step: step, total: total, samples: samples, loss: loss, elapsed: elapsed, bar: false) + "\n")
        case .silent, .automatic: return
        }
    }

    /// Ends the epoch with a summary line.
    public func finish(_ summary: String) {
        switch mode {
        case .bar: write("\r\u{1B}[2K" + summary + "\n")
        case .lines: write(summary + "\n")
        case .silent, .automatic: return
        }
    }

    /// The text of one progress line (without control characters).
    public static func line(title: String, step: Int, total: Int, samples: Int, loss: Double, elapsed: Double,
                            bar: Bool = true, width: Int = 20) -> String {
        let fraction = total > 0 ? min(1, Double(step) / Double(total)) : 1
        let filled = Int(fraction * Double(width))
        let rate = elapsed > 0 ? Double(samples) / elapsed : 0
        let eta = step > 0 ? elapsed / Double(step) * Double(total - step) : 0
        let counter = String(repeating: " ", count: max(0, String(total).count - String(step).count)) + "\(step)/\(total)"
        var parts = [title]
        if bar { parts.append("[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]") }
        parts += [counter, "\(grouped(Int(rate.rounded()))) img/s", "loss \(String(format: "%.4f", loss))",
                  step >= total ? "in \(clock(elapsed))" : "ETA \(clock(eta))"]
        return parts.joined(separator: "  ")
    }

    /// 7 → "0:07", 3725 → "1:02:05".
    public static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        let (h, m, r) = (s / 3600, s / 60 % 60, s % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, r) : String(format: "%d:%02d", m, r)
    }

    /// 12700 → "12,700" (the engine's `grouped`).
    public static func grouped(_ n: Int) -> String { CNN.grouped(n) }
}
