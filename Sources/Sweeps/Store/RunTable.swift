/// `runs.csv` in an experiment's store directory: one row per run of the plan, done or not,
/// so that `pandas.read_csv` gives the whole sweep. The content is a function of what the
/// store holds (the plan, the runs and their states), so any writer's version is right for
/// the moment it was made.
///
/// A value a run does not have (not done, diverged, no fit) is an empty field. The numbers
/// are Swift's shortest form that reads back exactly; the start and end values are block 0's
/// (layer 0, forward) from the summary's `blocks_at_start` and `blocks_at_end`.
public struct RunTable: Equatable, Sendable {
    public static let fileName = "runs.csv"

    public static let columns = [
        "run_id", "variant", "seed", "task", "sequence_length", "cell", "nonlinearity", "init", "hidden_size",
        "status", "success", "final_loss_over_baseline", "decay_factor_start", "decay_factor_end",
        "sigma_max_start", "sigma_max_end", "spectral_radius_start", "spectral_radius_end",
    ]

    /// One per planned run, in plan order, each with a field per column.
    public let rows: [[String]]

    /// The table of the plan's runs, their states and summaries as `status` decides them.
    public init(plan: SweepPlan, status: StoreStatus) {
        rows = plan.runs.map { entry in
            let state = status.states[entry.id, default: .missing]
            let described = [
                entry.id, entry.variant ?? "", entry.seed.map(String.init) ?? "", entry.task ?? "",
                entry.sequenceLength.map(String.init) ?? "", entry.cell ?? "", entry.nonlinearity ?? "",
                entry.initialization ?? "", entry.hiddenSize.map(String.init) ?? "", state.rawValue,
            ]
            guard state == .done, let summary = status.summaries[entry.id] else {
                return described + Array(repeating: "", count: Self.columns.count - described.count)
            }
            return described + Self.outcome(summary)
        }
    }

    /// success … spectral_radius_end of a done run.
    private static func outcome(_ summary: RunSummary) -> [String] {
        let start = summary.blocksAtStart.first, end = summary.blocksAtEnd.first
        let lossRatio = summary.finalEvalLoss.map { $0 / summary.baselineLoss }
        return [
            String(summary.success), number(lossRatio),
            number(start?.decayFit?.factorPerStep), number(end?.decayFit?.factorPerStep),
            number(start?.sigmaMax), number(end?.sigmaMax), number(start?.spectralRadius), number(end?.spectralRadius),
        ]
    }

    private static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return "\(value)"
    }

    /// The header and the rows, RFC 4180 quoting where a field needs it, a final newline.
    public var csv: String {
        ([Self.columns] + rows).map { $0.map(CSVField.quoted).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
