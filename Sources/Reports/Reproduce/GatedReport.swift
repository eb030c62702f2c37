import Foundation
import RealModule
import Recurrence

/// REPORT.md's gated-cell section and its sentence in the verdict: the decay of ‖∂L/∂h_t‖ and
/// ‖∂L/∂c_t‖ at initialization per cell and init, and success against T with 95 % Wilson
/// intervals. Every number comes from `data`.
struct GatedReport {
    let data: GatedData

    /// The acceptance bar: chrono's LSTM and GRU at least this often successful …
    static let gatedSuccess = 0.75
    /// … at a length where the tanh RNN is successful at most this often.
    static let rnnSuccess = 0.25

    private func f(_ value: Double, _ digits: Int = 3) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : (value.isNaN ? "n/a" : (value > 0 ? "+∞" : "−∞"))
    }

    private func factor(_ slopes: [Double]) -> String { slopes.isEmpty ? "—" : "×" + f(Double.exp(slopes.mean)) }

    private func slope(_ slopes: [Double]) -> String {
        slopes.isEmpty ? "—" : "\(f(slopes.mean)) ± \(f(slopes.standardDeviation))"
    }

    /// The recall lengths at which the chrono LSTM and GRU both reach `gatedSuccess` while the
    /// tanh RNN stays at or below `rnnSuccess`.
    var contrastLengths: [Int] {
        let recall = data.learnability.filter { $0.task == "recall" }
        func rate(_ cell: RecurrentCellKind, _ initialization: String, at length: Int) -> Double? {
            recall.first { point in
                point.length == length && data.learnabilityKinds[point.variant].map {
                    $0.cell == cell && (cell == .rnn || $0.initialization == initialization)
                } == true
            }?.successRate
        }
        return Array(Set(recall.map(\.length))).sorted().filter { length in
            guard let rnn = rate(.rnn, "", at: length), let lstm = rate(.lstm, "chrono", at: length),
                  let gru = rate(.gru, "chrono", at: length) else { return false }
            return rnn <= Self.rnnSuccess && lstm >= Self.gatedSuccess && gru >= Self.gatedSuccess
        }
    }

    /// The verdict's sentence on the gated cells.
    var verdict: String {
        var sentence = "**The gated contrast, measured.** At initialization (H = \(data.decaySetting.hiddenSize)) "
        let parts = data.decay.map { variant in
            variant.cell == .lstm
                ? "\(variant.name) \(factor(variant.cellSlopes)) for ‖∂L/∂c_t‖ (\(factor(variant.slopes)) for ‖∂L/∂h_t‖)"
                : "\(variant.name) \(factor(variant.slopes))"
        }
        sentence += "the gradient is multiplied per step back by: " + parts.joined(separator: ", ") + "."
        let lengths = contrastLengths
        if let length = lengths.last {
            let recall = data.learnability.filter { $0.task == "recall" && $0.length == length }
            sentence += " On recall at T = \(length): " + recall.map { "\($0.variant) \($0.successCount)/\($0.successes.count)" }
                .joined(separator: ", ") + " seeds successful."
        } else {
            sentence += " No recall length tried has the chrono LSTM and GRU at ≥ 75 % success with the tanh RNN at ≤ 25 %."
        }
        sentence += ReproductionData.holdingOn(data.learnability)
        return sentence
    }

    var section: [String] {
        var lines = [
            "## 7. Gated cells — [gated_decay.png](gated_decay.png), [gated_learnability.png](gated_learnability.png)",
            "",
            "nn.LSTM and nn.GRU against the tanh nn.RNN, at PyTorch's default init, with forget bias 1 (the LSTM's forget gate,",
            "the GRU's update gate: b_ih = 1, b_hh = 0; Jozefowicz et al. 2015) and with chrono init (b_f ~ ln U(1, T − 1), the",
            "LSTM's b_i = −b_f; Tallec & Ollivier 2018). ln‖∂L/∂h_t‖ and the LSTM's ln‖∂L/∂c_t‖ (total derivatives) from the",
            "log-domain probes, loss at the last step of the recall task (unit-variance noise, T = \(data.decaySetting.steps)), fitted over",
            "distances \(ReproductionData.fitWindow.lowerBound)–\(ReproductionData.fitWindow.upperBound), mean ± standard deviation over seeds.",
            "",
            "| variant | cell | init | slope ln‖∂L/∂h_t‖ | factor | slope ln‖∂L/∂c_t‖ | factor | seeds |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for v in data.decay {
            lines.append("| \(v.name) | \(v.cell.rawValue) | \(v.kind.initialization) | \(slope(v.slopes)) | \(factor(v.slopes)) | "
                         + "\(slope(v.cellSlopes)) | \(factor(v.cellSlopes)) | \(v.slopes.count) |")
        }
        lines += [
            "",
            "Theory. The naive picture has the gradient decay like the product of the gate that carries the past, i.e. at",
            "E[ln g] per step (g = the LSTM's forget gate σ(z_f), the GRU's update gate z; mean over steps, units and",
            "samples along the trajectory). λ₁ is the top Lyapunov exponent (Benettin/QR) of the full backward map of one",
            "step: the LSTM's on (∂L/∂h, ∂L/∂c), with the h → gates → c feedback, the GRU's through r, z and n, on the",
            "same network and inputs. The slope compared is that of the path the gradient is carried along: ln‖∂L/∂c_t‖",
            "for the LSTM, ln‖∂L/∂h_t‖ otherwise.",
            "",
            "| variant | measured slope | λ₁ | \\|λ₁ − slope\\| | E[ln g] | slope − E[ln g] |",
            "|---|---|---|---|---|---|",
        ]
        for v in data.decay {
            let measured = v.carrierSlopes.mean, lyapunov = v.lyapunov.mean
            let gate = v.memoryGateLogs.isEmpty ? nil : v.memoryGateLogs.mean
            lines.append("| \(v.name) | \(slope(v.carrierSlopes)) | \(f(lyapunov)) | \(f(abs(lyapunov - measured))) | "
                         + "\(gate.map { f($0) } ?? "—") | \(gate.map { f(measured - $0) } ?? "—") |")
        }
        let worst = data.decay.map { abs($0.lyapunov.mean - $0.carrierSlopes.mean) }.max() ?? .nan
        lines += [
            "",
            "- Acceptance: λ₁ and the measured slope agree within 0.02 nats per step for every cell and init: largest "
                + "difference \(f(worst)) → **\(worst <= 0.02 ? "met" : "not met")**.",
        ]
        if let gap = data.decay.filter({ !$0.memoryGateLogs.isEmpty }).max(by: {
            abs($0.carrierSlopes.mean - $0.memoryGateLogs.mean) < abs($1.carrierSlopes.mean - $1.memoryGateLogs.mean)
        }) {
            lines.append("- E[ln g] is not the decay rate: the largest gap is \(gap.name)'s, measured \(f(gap.carrierSlopes.mean)) "
                         + "against E[ln g] = \(f(gap.memoryGateLogs.mean)), where λ₁ gives \(f(gap.lyapunov.mean)).")
        }
        lines += [
            "",
            "Learnability: success is a held-out loss ≤ ½ baseline, or accuracy ≥ chance + ½(1 − chance); the interval is",
            "the 95 % Wilson score interval of the success rate over the seeds.",
            "",
            "| task | variant | T | successes | rate | 95 % interval | final loss / baseline (mean) |",
            "|---|---|---|---|---|---|---|",
        ]
        for p in data.learnability {
            let interval = p.successInterval
            lines.append("| \(p.task) | \(p.variant) | \(p.length) | \(p.successCount)/\(p.successes.count) | \(f(p.successRate, 2)) | "
                         + "[\(f(interval.lower, 2)), \(f(interval.upper, 2))] | \(f(p.lossRatios.mean)) |")
        }
        lines.append("")
        let lengths = contrastLengths
        lines.append("- Acceptance: on recall, the chrono LSTM and the chrono GRU reach ≥ 75 % success at a T where the tanh RNN is at "
                     + "≤ 25 %: " + (lengths.isEmpty ? "at no T tried → **not met**." : "T = "
                        + lengths.map(String.init).joined(separator: ", ") + " → **met**."))
        return lines
    }
}
