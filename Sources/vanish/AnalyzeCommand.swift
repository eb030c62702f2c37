import ArgumentParser
import Foundation
import Recurrence
import Reports

/// `vanish analyze`: bring a PyTorch `nn.RNN`, `nn.LSTM` or `nn.GRU` and see its gradients through time.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Run a PyTorch nn.RNN, nn.LSTM or nn.GRU state_dict on an input and record its gradients through time.",
        discussion: """
            MODEL is a .safetensors state_dict (safetensors.torch.save_file(rnn.state_dict(), path)); its \
            architecture, the cell included (weight_hh has H, 3H or 4H rows; weight_hr means an LSTM with \
            proj_size), is read from the tensor names and shapes. INPUT is a .npy array (T, N, input_size), \
            (N, T, input_size) with --batch-first, or (T, input_size). Computes in the model's dtype with \
            L = sum(G * output). Writes output.npy, h_n.npy, grad_input.npy, grad_h0.npy, grads.safetensors, \
            grad_norms.npy, grad_norms_per_sample.npy, grad_log_norms.npy, hidden.npy and summary.json; for an \
            LSTM also c_n.npy, grad_c0.npy, cell_grad_norms.npy, cell_grad_log_norms.npy and cell.npy; for LSTM \
            and GRU gate_mean.npy, gate_saturated_high.npy and gate_saturated_low.npy (the forget gate, the GRU's \
            update gate); and grad_norms.png with --plot; into --out, all or nothing.
            """)

    @Argument(help: "The model's state_dict (.safetensors).")
    var model: String

    @Argument(help: "The input sequence (.npy).")
    var input: String

    @Option(help: "Directory to write the results to; an earlier result there is replaced, anything else is refused.")
    var out: String

    @Option(help: "The cell: rnn, lstm or gru (default: read from the state_dict's shapes).")
    var cell: RecurrentCellKind?

    @Option(help: "An nn.RNN's nonlinearity (a state_dict does not record it): tanh or relu.")
    var nonlinearity: Nonlinearity = .tanh

    @Flag(help: "The input is (N, T, input_size), as nn.RNN(batch_first=True).")
    var batchFirst = false

    @Option(help: "Initial hidden state h0 (.npy, (D·num_layers, N, hidden_size)); zeros by default.")
    var h0: String?

    @Option(help: "An LSTM's initial cell state c0 (.npy, (D·num_layers, N, hidden_size)); zeros by default.")
    var c0: String?

    @Option(help: "G in L = sum(G * output) (.npy shaped like the output); ones at the last time step by default.")
    var gradOutput: String?

    @Flag(help: "Also draw grad_norms.png: ‖∂L/∂h_t‖ (and an LSTM's ‖∂L/∂c_t‖) against t, one line per layer and direction.")
    var plot = false

    func validate() throws {
        guard !out.isEmpty else { throw ValidationError("--out must name a directory") }
    }

    func run() throws {
        let request = ModelAnalysis.Request(
            model: URL(fileURLWithPath: model), input: URL(fileURLWithPath: input),
            initialState: h0.map { URL(fileURLWithPath: $0) }, initialCell: c0.map { URL(fileURLWithPath: $0) },
            gradOutput: gradOutput.map { URL(fileURLWithPath: $0) }, cell: cell, nonlinearity: nonlinearity, batchFirst: batchFirst, plot: plot)
        let destination = URL(fileURLWithPath: out)
        let analysis = try reportingFailures(exitCode: 2) {
            try ModelAnalysis.checkDestination(destination, for: request)
            return try ModelAnalysis(request)
        }
        try reportingFailures(exitCode: 1) { try analysis.write(to: destination) }
        print(analysis.summary.overview(directory: destination.path))
    }
}

extension Nonlinearity: ExpressibleByArgument {}
extension RecurrentCellKind: ExpressibleByArgument {}
