import Foundation

/// What an experiment's directory in the run store holds, counted per variant.
public struct StoreStatus {
    public struct Counts: Equatable, Sendable {
        public var done = 0
        public var succeeded = 0
        public var diverged = 0
        public var running = 0
        public var failed = 0
        public var corrupt = 0
    }

    /// By variant name ("-" for runs without one).
    public private(set) var counts: [String: Counts] = [:]
    /// Corrupt and failed runs, and why.
    public private(set) var problems: [(run: String, problem: String)] = []

    /// - Throws: `AnalysisError` when the directory does not exist.
    public init(directory: URL) throws(AnalysisError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AnalysisError("\(directory.path): no such run store directory")
        }
        let store = RunStore(root: directory.deletingLastPathComponent())
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
        for name in names {
            if name.hasSuffix(".failed") {
                let run = String(name.dropLast(".failed".count))
                if case .done = store.state(at: directory.appendingPathComponent(run)) { continue }
                counts["-", default: Counts()].failed += 1
                let reason = (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
                problems.append((run, "failed: " + reason.trimmingCharacters(in: .whitespacesAndNewlines)))
                continue
            }
            if name.hasPrefix(".") {
                // A held claim is a run in progress; its file names the variant.
                if name.hasSuffix(".claim"), RunClaim.isHeld(directory.appendingPathComponent(name)) {
                    let variant = (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? "-"
                    counts[variant.isEmpty ? "-" : variant, default: Counts()].running += 1
                }
                continue
            }
            switch store.state(at: directory.appendingPathComponent(name)) {
            case .missing:
                continue
            case .corrupt(let problem):
                counts["-", default: Counts()].corrupt += 1
                problems.append((name, "corrupt: " + problem))
            case .done(let summary):
                var count = counts[summary.variant ?? "-", default: Counts()]
                count.done += 1
                if summary.success { count.succeeded += 1 }
                if summary.divergedAt != nil { count.diverged += 1 }
                counts[summary.variant ?? "-"] = count
            }
        }
    }

    /// A plain-text table, one line per variant, then the corrupt runs.
    public var table: String {
        var lines = [pad("variant", 24) + ["done", "succeeded", "diverged", "running", "failed", "corrupt"]
            .map { pad($0, 10, right: true) }.joined()]
        for (variant, count) in counts.sorted(by: { $0.key < $1.key }) {
            lines.append(pad(variant, 24) + [count.done, count.succeeded, count.diverged, count.running, count.failed, count.corrupt]
                .map { pad(String($0), 10, right: true) }.joined())
        }
        for problem in problems { lines.append("\(problem.run): \(problem.problem) (a sweep will redo it)") }
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}

extension RunSummary {
    /// A few lines for the terminal.
    public func overview(directory: String) -> String {
        var lines = ["\(runID): \(task), T = \(sequenceLength), seed \(seed)\(variant.map { ", variant \($0)" } ?? "")"]
        if let divergedAt { lines.append("  diverged at iteration \(divergedAt)") }
        if let loss = finalEvalLoss {
            var line = String(format: "  held-out loss %.4g (baseline %.4g)", loss, baselineLoss)
            if let accuracy = finalEvalAccuracy { line += String(format: ", accuracy %.3f", accuracy) }
            lines.append(line + (success ? ": success" : ": no success"))
        }
        for block in blocks {
            if let start = block.decayFitStart {
                var line = String(format: "  layer %d %@: ‖∂L/∂h‖ × %.4g per step back at init", block.layer, block.direction, start.factorPerStep)
                if let end = block.decayFitEnd { line += String(format: ", × %.4g after training", end.factorPerStep) }
                lines.append(line)
            }
        }
        lines.append(String(format: "  %.1f s; wrote %@/", wallSeconds, directory))
        return lines.joined(separator: "\n")
    }
}
