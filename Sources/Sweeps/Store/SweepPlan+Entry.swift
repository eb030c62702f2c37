import Recurrence

extension SweepPlan {
    /// One planned run: its id, variant and shard, and what it is, so that `runs.csv` can
    /// describe a run that is not in the store yet.
    ///
    /// The description is nil only in plans written before it existed (vanish 0.1.0); the
    /// next sweep of the config fills it in.
    public struct Entry: Codable, Equatable, Sendable {
        public let id: String
        public let variant: String?
        public private(set) var shard: Int
        public let seed: UInt64?
        /// The task's name (`recall`, `adding`, …).
        public let task: String?
        public let sequenceLength: Int?
        /// `rnn`, `lstm` or `gru`.
        public let cell: String?
        public let nonlinearity: String?
        /// The init scheme with its parameter (`RunConfiguration.initializationLabel`).
        public let initialization: String?
        public let hiddenSize: Int?

        init(_ run: RunConfiguration, shard: Int) {
            id = run.id
            variant = run.variant
            self.shard = shard
            seed = run.seed
            task = run.task.name
            sequenceLength = run.task.sequenceLength
            cell = run.model.cell.rawValue
            // Gated cells have their own nonlinearities; the setting is nn.RNN's.
            nonlinearity = run.model.cell == .rnn ? run.model.nonlinearity.rawValue : nil
            initialization = run.initializationLabel
            hiddenSize = run.model.hiddenSize
        }

        /// The same run in another shard.
        func moved(to shard: Int) -> Entry {
            var entry = self
            entry.shard = shard
            return entry
        }

        /// Every key, a nil optional as null (`ToolJSON`'s policy).
        public func encode(to encoder: Encoder) throws {
            var values = encoder.container(keyedBy: CodingKeys.self)
            try values.encode(id, forKey: .id)
            try values.encode(variant, forKey: .variant)
            try values.encode(shard, forKey: .shard)
            try values.encode(seed, forKey: .seed)
            try values.encode(task, forKey: .task)
            try values.encode(sequenceLength, forKey: .sequenceLength)
            try values.encode(cell, forKey: .cell)
            try values.encode(nonlinearity, forKey: .nonlinearity)
            try values.encode(initialization, forKey: .initialization)
            try values.encode(hiddenSize, forKey: .hiddenSize)
        }

        // `init`, as configs name the scheme (`model.init`).
        private enum CodingKeys: String, CodingKey {
            case id, variant, shard, seed, task, sequenceLength, cell, nonlinearity, initialization = "init", hiddenSize
        }
    }
}
