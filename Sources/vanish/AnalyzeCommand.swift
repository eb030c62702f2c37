import ArgumentParser
import Foundation
import Recurrence
import Reports

/// `vanish analyze`: bring a PyTorch `nn.RNN`, `nn.LSTM` or `nn.GRU` and see its gradients through time.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Run a PyTorch model's nn.RNN, nn.LSTM or nn.GRU on an input and record its gradients through time.",
        discussion: """
            MODEL is a state_dict saved by torch.save (.pt, .pth, .bin; a training checkpoint's \
            model_state_dict, state_dict or model, or --key) or by safetensors. Its recurrent module (the \
            prefix with weight_ih_l0 and weight_hh_l0, or --module) is analysed, its architecture, the cell \
            included (weight_hh has H, 3H or 4H rows; weight_hr means an LSTM with proj_size), read from the \
            tensor names and shapes; other tensors are listed in summary.json. INPUT is a .npy array \
            (T, N, input_size), (N, T, input_size) with --batch-first, or (T, input_size). Computes in the \
            model's dtype (half precision upcast to float32) with L = sum(G * output), or with the model's own \
            loss: --readout fc --targets y.npy --loss cross-entropy|mse [--loss-steps last|all] is \
            F.cross_entropy(fc(output[-1]), y) (mse: F.mse_loss), whose value summary.json records and whose \
            gradients, fc's included, every file holds. Writes output.npy, h_n.npy, grad_input.npy, grad_h0.npy, grads.safetensors, \
            grad_norms.npy, grad_norms_per_sample.npy, grad_log_norms.npy, hidden.npy and summary.json; for an \
            LSTM also c_n.npy, grad_c0.npy, cell_grad_norms.npy, cell_grad_log_norms.npy and cell.npy; for LSTM \
            and GRU gate_mean.npy, gate_saturated_high.npy and gate_saturated_low.npy (the forget gate, the GRU's \
            update gate); and grad_norms.png with --plot; into --out, all or nothing.
            """)

    @Argument(help: "The model's state_dict (.pt, .pth, .bin from torch.save, or .safetensors).")
    var model: String

    @Argument(help: "The input sequence (.npy).")
    var input: String

    @Option(help: "Directory to write the results to; an earlier result there is replaced, anything else is refused.")
    var out: String

    @Option(help: "The key of a training checkpoint's state_dict (default: model_state_dict, state_dict or model).")
    var key: String?

    @Option(help: "The recurrent module's prefix in the state_dict, e.g. rnn for rnn.weight_ih_l0 (default: the only one).")
    var module: String?

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

    @Option(help: "The nn.Linear readout on the RNN's output, by its prefix in the state_dict (fc for fc.weight, fc.bias).")
    var readout: String?

    @Option(help: "The loss's targets (.npy): class indices (int64) for cross-entropy, values for mse.")
    var targets: String?

    @Option(help: "The loss on the readout: cross-entropy (PyTorch's mean, ignore_index -100) or mse.")
    var loss: LossFunction?

    @Option(help: "The output steps the loss scores: last (output[-1]) or all.")
    var lossSteps: LossSteps?

    @Flag(help: "Also draw grad_norms.png: ‖∂L/∂h_t‖ (and an LSTM's ‖∂L/∂c_t‖) against t, one line per layer and direction.")
    var plot = false

    func validate() throws {
        guard !out.isEmpty else { throw ValidationError("--out must name a directory") }
    }

    func run() throws {
        let destination = URL(fileURLWithPath: out)
        let analysis = try reportingFailures(exitCode: 2) {
            let gradOutput = gradOutput.map { URL(fileURLWithPath: $0) }
            let lossSettings = try LossSettings.options(
                readout: readout, targets: targets.map { URL(fileURLWithPath: $0) }, function: loss, steps: lossSteps,
                gradOutput: gradOutput)
            let request = ModelAnalysis.Request(
                model: URL(fileURLWithPath: model), input: URL(fileURLWithPath: input), key: key, module: module,
                initialState: h0.map { URL(fileURLWithPath: $0) }, initialCell: c0.map { URL(fileURLWithPath: $0) },
                gradOutput: gradOutput, loss: lossSettings, cell: cell, nonlinearity: nonlinearity, batchFirst: batchFirst,
                plot: plot)
            try ModelAnalysis.checkDestination(destination, for: request)
            return try ModelAnalysis(request)
        }
        try reportingFailures(exitCode: 1) { try analysis.write(to: destination) }
        print(analysis.summary.overview(directory: destination.path))
    }
}

extension Nonlinearity: ExpressibleByArgument {}
extension RecurrentCellKind: ExpressibleByArgument {}
extension LossFunction: ExpressibleByArgument {}
extension LossSteps: ExpressibleByArgument {}
