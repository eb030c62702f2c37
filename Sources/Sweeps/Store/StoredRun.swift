import AtomicIO
import Foundation
import TensorIO

/// A completed run as the store holds it, read back whole: its summary, its resolved
/// configuration, its training curve and the gradient probes it recorded. Figures and reports
/// are made from these records alone; only `RunStore` knows where their files are.
public struct StoredRun: Sendable {
    public let summary: RunSummary
    public let configuration: RunConfiguration
    /// metrics.csv, one row per training iteration.
    public let metrics: [MetricRow]
    /// ln‖∂L/∂h_t‖ at every probed iteration, in iteration order.
    public let gradientSnapshots: [GradientSnapshot]
    /// The run's directory, for the files read on demand (the trained weights, hidden
    /// states) and for reports that link to its files.
    public let directory: URL
    /// The names of the files in the run's directory, sorted.
    public let fileNames: [String]

    public var id: String { summary.runID }

    /// ln‖∂L/∂h_t‖ of block 0 (layer 0, forward) at the first probed iteration (initialization).
    public var initialLogNorms: [Double]? {
        gradientSnapshots.first.map { $0.logNorms[0] }
    }

    /// An LSTM's ln‖∂L/∂c_t‖ of block 0 at the first probed iteration; nil for other cells.
    public var initialCellLogNorms: [Double]? {
        gradientSnapshots.first?.cellLogNorms.map { $0[0] }
    }

    /// The iterations at which the probe batch's hidden states were saved (`probes.hidden_states`).
    public var hiddenStateIterations: [Int] {
        fileNames.compactMap(RunFiles.hiddenStatesIteration).sorted()
    }

    /// The probe batch's hidden states at a probed iteration, (D·L, T, N, H), read when asked
    /// because they are the run's largest files.
    /// - Throws: `FileFormatError` when the file cannot be read.
    public func hiddenStates(iteration: Int) throws(FileFormatError) -> TypedArray {
        try Npy.read(directory.appendingPathComponent(RunFiles.hiddenStates(iteration: iteration)))
    }

    /// The trained network's weights (model.safetensors, PyTorch's names), read when asked
    /// because only a few reports need them.
    /// - Throws: `FileFormatError` when the file cannot be read.
    public func trainedWeights() throws(FileFormatError) -> Safetensors {
        try Safetensors.read(directory.appendingPathComponent(RunFiles.weights))
    }
}

/// The log-domain gradient probe of one probed training iteration.
public struct GradientSnapshot: Sendable {
    public let iteration: Int
    /// ln‖∂L/∂h_t‖ per block (layer · D + direction), each of T steps.
    public let logNorms: [[Double]]
    /// An LSTM's ln‖∂L/∂c_t‖, laid out as `logNorms`; nil for the other cells.
    public let cellLogNorms: [[Double]]?
}
