import Foundation
import Recurrence
import Sweeps
import TensorIO
import TestSupport
import Testing

/// Training, the run store and sweeps end to end, on configs small enough for seconds.
@Suite("Sweeps and the run store")
struct SweepTests {
    static let tinySweep = """
        name: tiny
        seeds: 2
        model: {hidden_size: 8}
        task: {name: recall, sequence_length: 3, classes: 2, noise: 0.1}
        training: {learning_rate: 0.01, iterations: 40, eval_interval: 20, eval_size: 64, batch_size: 16}
        probes: {gradient_steps: [0, 20], batch_size: 8}
        sweep:
          sequence_length: [2, 4]
        variants:
          tanh: {}
          irnn: {nonlinearity: relu, init: eye}
        """

    private func files(_ directory: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            result[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return result
    }

    @Test("one worker takes the costliest runs first, so that side by side the last to start are short")
    func costliestFirst() throws {
        let root = try makeTemporaryDirectory("sweep-order")
        defer { try? FileManager.default.removeItem(at: root) }
        let config = try ExperimentConfig.parse(Self.tinySweep, path: "tiny.yaml")
        let outcome = SweepRunner(store: RunStore(root: root), jobs: 1, showsProgress: false).run(config.runs)
        let lengths = outcome.completed.map { id in config.runs.first { $0.id == id }!.task.sequenceLength }
        #expect(lengths == [4, 4, 4, 4, 2, 2, 2, 2], "completion order \(outcome.completed)")
    }

    @Test("a sweep stores every run complete, and a second pass skips them all")
    func sweepEndToEnd() throws {
        let root = try makeTemporaryDirectory("sweep")
        defer { try? FileManager.default.removeItem(at: root) }
        let config = try ExperimentConfig.parse(Self.tinySweep, path: "tiny.yaml")
        #expect(config.runs.count == 8)
        let store = RunStore(root: root)
        let first = SweepRunner(store: store, jobs: 2, showsProgress: false).run(config.runs)
        #expect(first.completed.count == 8 && first.failed.isEmpty, "\(first.failed)")
        for run in config.runs {
            guard case .done(let summary) = store.state(of: run) else {
                Issue.record("\(run.id) not done")
                continue
            }
            #expect(summary.runID == run.id && summary.variant == run.variant && summary.seed == run.seed)
            #expect(summary.iterations == 40 && summary.divergedAt == nil)
            #expect(summary.blocksAtStart.count == 1 && summary.blocksAtStart[0].decayFit != nil && summary.blocksAtEnd.count == 1)
            let names = try FileManager.default.contentsOfDirectory(atPath: store.directory(for: run).path)
            #expect(Set(names).isSuperset(of: ["config.yaml", "metrics.csv", "summary.json", "grad_norms_step0.npy",
                                               "grad_log_norms_step20.npy", "grad_log_norms_step40.npy",
                                               "model.safetensors", "readout.safetensors"]))
            // The weights load as an nn.RNN state_dict: an RNN of the run's architecture accepts them.
            let weights = try Safetensors.read(store.directory(for: run).appendingPathComponent("model.safetensors"))
            #expect(Set(weights.tensors.keys) == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"])
            // config.yaml is the resolved config: parsing it gives the same run back.
            let yaml = try String(contentsOf: store.directory(for: run).appendingPathComponent("config.yaml"), encoding: .utf8)
            #expect(try ExperimentConfig.parse(yaml, path: "config.yaml").runs == [run])
        }
        let second = SweepRunner(store: store, jobs: 2, showsProgress: false).run(config.runs)
        #expect(second.completed.isEmpty && second.skipped.count == 8)
        let status = try StoreStatus(directory: root.appendingPathComponent("tiny"))
        #expect(status.counts["tanh"]?.done == 4 && status.counts["irnn"]?.done == 4)
    }

    @Test("the same config and seed give identical files whatever --jobs is")
    func determinismAcrossJobs() throws {
        let config = try ExperimentConfig.parse(Self.tinySweep, path: "tiny.yaml")
        var stores: [[String: [String: Data]]] = []
        for jobs in [1, 2] {
            let root = try makeTemporaryDirectory("jobs\(jobs)")
            defer { try? FileManager.default.removeItem(at: root) }
            let store = RunStore(root: root)
            _ = SweepRunner(store: store, jobs: jobs, showsProgress: false).run(config.runs)
            var byRun: [String: [String: Data]] = [:]
            for run in config.runs {
                var contents = try files(store.directory(for: run))
                // The summary must agree too, but for the wall time (and so its checksum).
                contents["summary.fnv1a64"] = nil
                var summary = try #require(try JSONSerialization.jsonObject(with: contents["summary.json"]!) as? [String: Any])
                summary["wall_seconds"] = nil
                contents["summary.json"] = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
                byRun[run.id] = contents
            }
            stores.append(byRun)
        }
        #expect(stores[0] == stores[1])
    }

    @Test("a damaged file is detected and the run redone")
    func corruptRunIsRedone() throws {
        let root = try makeTemporaryDirectory("corrupt")
        defer { try? FileManager.default.removeItem(at: root) }
        let config = try ExperimentConfig.parse(Self.tinySweep, path: "tiny.yaml")
        let store = RunStore(root: root)
        let run = config.runs[0]
        _ = SweepRunner(store: store, jobs: 1, showsProgress: false).run([run])
        let array = store.directory(for: run).appendingPathComponent("grad_norms_step0.npy")
        var bytes = try Data(contentsOf: array)
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: array)
        guard case .corrupt(let problem) = store.state(of: run) else {
            Issue.record("a flipped byte must be detected")
            return
        }
        #expect(problem.contains("grad_norms_step0.npy"))
        let again = SweepRunner(store: store, jobs: 1, showsProgress: false).run([run])
        #expect(again.completed == [run.id])
        if case .done = store.state(of: run) {} else { Issue.record("redone run must be complete") }
    }

    @Test("training learns: recall over two steps is solved")
    func learns() throws {
        let config = try ExperimentConfig.parse("""
            model: {hidden_size: 16}
            task: {name: recall, sequence_length: 2, classes: 2, noise: 0.1}
            training: {learning_rate: 0.01, iterations: 150, eval_interval: 50, eval_size: 128}
            """, path: "learn.yaml")
        let record = try Trainer.run(config.runs[0])
        #expect(record.success)
    }

    @Test("a run whose loss becomes non-finite is recorded as diverged, and the sweep goes on")
    func divergence() throws {
        let root = try makeTemporaryDirectory("diverge")
        defer { try? FileManager.default.removeItem(at: root) }
        let config = try ExperimentConfig.parse("""
            name: boom
            model: {hidden_size: 8, nonlinearity: relu, init: {scheme: gaussian, gain: 30}}
            task: {name: adding, sequence_length: 60}
            training: {optimizer: sgd, learning_rate: 100, clip_norm: none, iterations: 50, eval_interval: 10}
            """, path: "boom.yaml")
        let store = RunStore(root: root)
        let outcome = SweepRunner(store: store, jobs: 1, showsProgress: false).run(config.runs)
        #expect(outcome.failed.isEmpty && outcome.completed.count == 1)
        guard case .done(let summary) = store.state(of: config.runs[0]) else {
            Issue.record("a diverged run is still stored")
            return
        }
        #expect(summary.divergedAt != nil && !summary.success)
        // Not finite is null, never a string: every key is there, and the loss is null beside diverged_at.
        let data = try Data(contentsOf: store.directory(for: config.runs[0]).appendingPathComponent("summary.json"))
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("\"nan\"") && !text.contains("\"inf\""), "\(text)")
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["diverged_at"] is Int && json.keys.contains("final_eval_loss") && json.keys.contains("final_eval_accuracy"))
        #expect((json["final_eval_loss"] is NSNull) == (summary.finalEvalLoss == nil))
        let end = try #require((json["blocks_at_end"] as? [[String: Any]])?.first)
        #expect(Set(end.keys) == ["layer", "direction", "sigma_max", "spectral_radius", "decay_fit", "gates"])
    }

    @Test("an update that leaves non-finite weights ends the run as diverged")
    func divergenceAfterUpdate() throws {
        let config = try ExperimentConfig.parse("""
            model: {hidden_size: 8}
            task: {name: adding, sequence_length: 5}
            training: {optimizer: sgd, learning_rate: 1e38, clip_norm: none, iterations: 3, eval_interval: 1}
            """, path: "boom2.yaml")
        let record = try Trainer.run(config.runs[0])
        #expect(record.divergedAt != nil)
        #expect(!record.success)
    }

    @Test("a run too large to allocate fails with a message; the sweep goes on and status counts it")
    func oversizedRun() throws {
        let root = try makeTemporaryDirectory("huge")
        defer { try? FileManager.default.removeItem(at: root) }
        let config = try ExperimentConfig.parse("""
            name: huge
            model: {hidden_size: 4}
            task: {name: recall, sequence_length: 2, classes: 2}
            training: {iterations: 2, eval_interval: 2, eval_size: 8, batch_size: 4}
            probes: {batch_size: 4}
            sweep:
              hidden_size: [4, 4000000000]
            """, path: "huge.yaml")
        let store = RunStore(root: root)
        let outcome = SweepRunner(store: store, jobs: 2, showsProgress: false).run(config.runs)
        #expect(outcome.completed.count == 1 && outcome.failed.count == 1)
        #expect(outcome.failed.first?.message.contains("exceeds the") == true, "\(outcome.failed)")
        let status = try StoreStatus(directory: root.appendingPathComponent("huge"))
        #expect(status.counts.values.map(\.failed).reduce(0, +) == 1)
        #expect(status.counts.values.map(\.done).reduce(0, +) == 1)
    }

    @Test("two sweeps of one config on one store: every run done exactly once, nothing fails")
    func concurrentSweeps() throws {
        let root = try makeTemporaryDirectory("concurrent")
        defer { try? FileManager.default.removeItem(at: root) }
        let config = try ExperimentConfig.parse(Self.tinySweep, path: "tiny.yaml")
        let store = RunStore(root: root)
        let outcomes = OutcomeBox()
        let group = DispatchGroup()
        for _ in 0..<2 {
            group.enter()
            Thread {
                outcomes.append(SweepRunner(store: store, jobs: 2, showsProgress: false).run(config.runs))
                group.leave()
            }.start()
        }
        group.wait()
        let completed = outcomes.values.flatMap(\.completed)
        #expect(outcomes.values.allSatisfy { $0.failed.isEmpty }, "\(outcomes.values.map(\.failed))")
        #expect(completed.count == config.runs.count && Set(completed).count == config.runs.count,
                "each run trained once: \(completed.count) of \(config.runs.count); skipped \(outcomes.values.map(\.skipped.count))")
        for run in config.runs {
            if case .done = store.state(of: run) {} else { Issue.record("\(run.id) not done") }
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("tiny").path)
            .filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test("status counts a held claim as a run in progress, under its variant")
    func runningStatus() throws {
        let root = try makeTemporaryDirectory("running")
        defer { try? FileManager.default.removeItem(at: root) }
        let experiment = root.appendingPathComponent("exp")
        try FileManager.default.createDirectory(at: experiment, withIntermediateDirectories: true)
        let claim = experiment.appendingPathComponent(".some-run.claim")
        try Data("irnn".utf8).write(to: claim)
        let descriptor = open(claim.path, O_RDWR)
        defer { close(descriptor) }
        #expect(flock(descriptor, LOCK_EX) == 0)
        #expect(try StoreStatus(directory: experiment).counts["irnn"]?.running == 1)
        flock(descriptor, LOCK_UN)
        #expect(try StoreStatus(directory: experiment).counts["irnn"] == nil, "a released claim is not a running run")
    }
}

/// Outcomes collected from several threads.
private final class OutcomeBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [SweepRunner.Outcome] = []

    func append(_ outcome: SweepRunner.Outcome) {
        lock.lock()
        values.append(outcome)
        lock.unlock()
    }
}
