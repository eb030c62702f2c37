import Foundation
import Reports
import Sweeps
import TestSupport
import Testing

/// docs/schema/: the JSON Schemas of a run's summary.json and of `vanish analyze`'s, checked
/// against real outputs, and the validator against documents that break them.
@Suite("summary.json schemas")
struct SummarySchemaTests {
    static let runSchema = repositoryURL("docs/schema/run-summary.schema.json")
    static let analyzeSchema = repositoryURL("docs/schema/analyze-summary.schema.json")

    /// Two runs that learn, and one that diverges at once (its final loss null, no variant).
    static let sweeps = [
        """
        name: schema-tiny
        seeds: 1
        model: {hidden_size: 8}
        task: {name: recall, sequence_length: 3, classes: 2, noise: 0.1}
        training: {learning_rate: 0.01, iterations: 20, eval_interval: 10, eval_size: 32, batch_size: 8}
        probes: {gradient_steps: [0, 10], batch_size: 4}
        variants:
          tanh: {}
          irnn: {nonlinearity: relu, init: eye}
        """,
        """
        name: schema-diverged
        seeds: 1
        model: {hidden_size: 8, nonlinearity: relu, init: {scheme: gaussian, gain: 3.0}}
        task: {name: adding, sequence_length: 20}
        training: {learning_rate: 100.0, iterations: 20, eval_interval: 10, eval_size: 16, batch_size: 8}
        probes: {gradient_steps: [0], batch_size: 4}
        """,
    ]

    /// The summary.json of every run of `sweeps`.
    private func runSummaries() throws -> [Data] {
        let root = try makeTemporaryDirectory("schema-runs")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = RunStore(root: root)
        var summaries: [Data] = []
        for yaml in Self.sweeps {
            let runs = try ExperimentConfig.parse(yaml, path: "schema.yaml").runs
            _ = SweepRunner(store: store, jobs: 2, showsProgress: false).run(runs)
            for run in runs { summaries.append(try Data(contentsOf: store.directory(for: run).appendingPathComponent("summary.json"))) }
        }
        return summaries
    }

    private func analyzeSummary(gradOutput: Bool) throws -> Data {
        try summary(of: ModelAnalysis.Request(
            model: fixtureURL("analyze/model.safetensors"), input: fixtureURL("analyze/input.npy"),
            initialState: fixtureURL("analyze/h0.npy"), gradOutput: gradOutput ? fixtureURL("analyze/grad_output.npy") : nil))
    }

    /// summary.json of a whole model in a training checkpoint, with its own loss: every new key non-null.
    private func wholeModelSummary() throws -> Data {
        try summary(of: ModelAnalysis.Request(
            model: fixtureURL("model/lstm_checkpoint.pt"), input: fixtureURL("model/x_batch_first.npy"),
            loss: LossSettings(readout: "fc", targets: fixtureURL("model/y_batch_first.npy"), function: .crossEntropy, steps: .all),
            batchFirst: true))
    }

    private func summary(of request: ModelAnalysis.Request) throws -> Data {
        try #require(try ModelAnalysis(request).files.first { $0.name == "summary.json" }?.data)
    }

    @Test("every run's summary.json from real sweeps matches run-summary.schema.json, a diverged run's included")
    func runSummariesMatch() throws {
        let validator = try JSONSchemaValidator(schemaAt: Self.runSchema)
        let summaries = try runSummaries()
        #expect(summaries.count == 3)
        for summary in summaries { #expect(try validator.problems(in: summary) == [], "\(String(decoding: summary, as: UTF8.self))") }
        #expect(summaries.contains { String(decoding: $0, as: UTF8.self).contains("\"final_eval_loss\" : null") },
                "the diverged run exercises the nulls")
    }

    @Test("analyze's summary.json for the fixture model matches analyze-summary.schema.json, with and without a given G")
    func analyzeSummaryMatches() throws {
        let validator = try JSONSchemaValidator(schemaAt: Self.analyzeSchema)
        for gradOutput in [false, true] {
            let summary = try analyzeSummary(gradOutput: gradOutput)
            #expect(try validator.problems(in: summary) == [], "\(String(decoding: summary, as: UTF8.self))")
        }
        #expect(String(decoding: try analyzeSummary(gradOutput: false), as: UTF8.self).contains("\"decay_fit\" : null"),
                "the default loss leaves the top reverse block without a fit: a null where an object may be")
        #expect(String(decoding: try analyzeSummary(gradOutput: false), as: UTF8.self).contains("\"loss_settings\" : null"))
    }

    @Test("analyze's summary.json of a whole model with its own loss matches analyze-summary.schema.json")
    func wholeModelSummaryMatches() throws {
        let validator = try JSONSchemaValidator(schemaAt: Self.analyzeSchema)
        let summary = try wholeModelSummary()
        #expect(try validator.problems(in: summary) == [], "\(String(decoding: summary, as: UTF8.self))")
        let object = try #require(try JSONSerialization.jsonObject(with: summary) as? [String: Any])
        #expect(object["loss"] is Double && object["loss_settings"] is [String: Any])
        #expect((object["model"] as? [String: Any])?["state_dict_key"] as? String == "model_state_dict")
        let broken = try edited(summary) { object in
            object["loss"] = "0.7"
            var settings = object["loss_settings"] as! [String: Any]
            settings["function"] = "hinge"
            settings["mean_over"] = nil
            object["loss_settings"] = settings
        }
        #expect(try validator.problems(in: broken).sorted() == [
            "$.loss: expected number or null, found string \"0.7\"",
            "$.loss_settings.function: \"hinge\" is not one of \"cross-entropy\", \"mse\"",
            "$.loss_settings.mean_over: required, missing",
        ])
    }

    /// `document` with `edit` applied to its parsed form, as JSON again.
    private func edited(_ document: Data, _ edit: (inout [String: Any]) -> Void) throws -> Data {
        var object = try #require(try JSONSerialization.jsonObject(with: document) as? [String: Any])
        edit(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    @Test("a missing key, a string for a number, an unknown key, a value outside an enum or below a minimum: each one line naming its path")
    func brokenDocumentsFail() throws {
        let runs = try JSONSchemaValidator(schemaAt: Self.runSchema)
        let summary = try #require(try runSummaries().first)
        let cases: [(String, (inout [String: Any]) -> Void, String)] = [
            ("missing key", { $0["seed"] = nil }, "$.seed: required, missing"),
            ("string for a number", { $0["baseline_loss"] = "0.69" }, "$.baseline_loss: expected number, found string \"0.69\""),
            ("fraction for an integer", { $0["iterations"] = 2.5 }, "$.iterations: expected integer, found number 2.5"),
            ("null where none is allowed", { $0["success"] = NSNull() }, "$.success: expected boolean, found null"),
            ("unknown key", { $0["extra"] = 1 }, "$.extra: not allowed here"),
            ("outside the enum", { $0["task"] = "parity" }, "$.task: \"parity\" is not one of \"adding\", \"copy\", \"recall\", \"temporal-order\", \"delayed-recall\""),
            ("below the minimum", { $0["wall_seconds"] = -1 }, "$.wall_seconds: -1 is below the minimum 0"),
            ("deep in a block", { object in
                var blocks = object["blocks_at_end"] as! [[String: Any]]
                var fit = blocks[0]["decay_fit"] as! [String: Any]
                fit["factor_per_step"] = "fast"
                blocks[0]["decay_fit"] = fit
                blocks[0]["direction"] = "sideways"
                object["blocks_at_end"] = blocks
            }, "$.blocks_at_end[0].decay_fit.factor_per_step: expected number, found string \"fast\""),
        ]
        for (label, edit, expected) in cases {
            let problems = try runs.problems(in: edited(summary, edit))
            #expect(problems.contains(expected), "\(label): \(problems)")
            #expect(problems.allSatisfy { !$0.contains("\n") && $0.hasPrefix("$") }, "\(label): \(problems)")
        }
        let deep = try runs.problems(in: edited(summary, cases.last!.1))
        #expect(deep.contains("$.blocks_at_end[0].direction: \"sideways\" is not one of \"forward\", \"reverse\""), "\(deep)")

        let analyze = try JSONSchemaValidator(schemaAt: Self.analyzeSchema)
        let broken = try edited(try analyzeSummary(gradOutput: false)) { object in
            var model = object["model"] as! [String: Any]
            model["hidden_size"] = "6"
            object["model"] = model
            var blocks = object["blocks"] as! [[String: Any]]
            blocks[1]["non_finite_steps"] = nil
            object["blocks"] = blocks
        }
        #expect(try analyze.problems(in: broken).sorted() == ["$.blocks[1].non_finite_steps: required, missing",
                                                              "$.model.hidden_size: expected integer, found string \"6\""])
    }

    @Test("the schemas require every key they describe, forbid others, and list every task")
    func schemasAreClosed() throws {
        for url in [Self.runSchema, Self.analyzeSchema] {
            let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
            var objects: [(String, [String: Any])] = [("$", schema)]
            var checked = 0
            while let (path, node) = objects.popLast() {
                if let properties = node["properties"] as? [String: Any] {
                    checked += 1
                    #expect(Set(node["required"] as? [String] ?? []) == Set(properties.keys), "\(url.lastPathComponent) \(path)")
                    #expect(node["additionalProperties"] as? Bool == false, "\(url.lastPathComponent) \(path)")
                }
                for (key, child) in node { if let child = child as? [String: Any] { objects.append(("\(path).\(key)", child)) } }
            }
            #expect(checked >= 4, "\(url.lastPathComponent): \(checked) object schemas")
        }
        let run = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.runSchema)) as? [String: Any])
        let task = ((run["properties"] as? [String: Any])?["task"] as? [String: Any])?["enum"] as? [String]
        #expect(task == TaskCatalog.names)
    }

    @Test("a keyword the validator does not check is an error, not ignored")
    func unknownKeyword() throws {
        let url = try makeTemporaryDirectory("schema-keyword").appendingPathComponent("s.json")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        try Data(#"{"type": "object", "properties": {"a": {"type": "string", "pattern": "^x"}}}"#.utf8).write(to: url)
        let problems = try JSONSchemaValidator(schemaAt: url).problems(in: Data(#"{"a": "y"}"#.utf8))
        #expect(problems == ["$.a: the schema uses pattern, which this validator does not check"])
    }
}
