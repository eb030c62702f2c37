/// Where each named parameter of an RNN lives in one flat buffer: names, shapes and order
/// exactly as PyTorch's `named_parameters()`, so reference files map onto it one to one.
/// For each layer, the forward direction's block then the reverse one's, each W_ih (G·H, I),
/// W_hh (G·H, S), b_ih and b_hh (G·H), and an LSTM's W_hr (P, H) when it projects, with G the
/// cell's gates stacked in PyTorch's order and S the state size (P when projecting, else H).
public struct ParameterLayout: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public let name: String
        public let shape: [Int]
        public let offset: Int
        public var count: Int { shape.reduce(1, *) }
    }

    /// The offsets of one layer and direction's weights; the biases are nil without bias,
    /// W_hr without projection.
    struct Block: Equatable, Sendable {
        let weightIH: Int
        let weightHH: Int
        let biasIH: Int?
        let biasHH: Int?
        let weightHR: Int?
    }

    public let entries: [Entry]
    public let count: Int
    let blocks: [Block]  // index: layer · D + direction, the row order of h_n

    public init(_ configuration: RNNConfiguration) {
        var entries: [Entry] = []
        var blocks: [Block] = []
        var offset = 0
        func add(_ name: String, _ shape: [Int]) -> Int {
            let entry = Entry(name: name, shape: shape, offset: offset)
            entries.append(entry)
            offset += entry.count
            return entry.offset
        }
        let hidden = configuration.hiddenSize
        let gateRows = configuration.cell.gateCount * hidden
        for layer in 0..<configuration.numLayers {
            for direction in 0..<configuration.directions {
                let suffix = "_l\(layer)" + (direction == 1 ? "_reverse" : "")
                let weightIH = add("weight_ih" + suffix, [gateRows, configuration.layerInputSize(layer)])
                let weightHH = add("weight_hh" + suffix, [gateRows, configuration.stateSize])
                var biasIH: Int?
                var biasHH: Int?
                if configuration.bias {
                    biasIH = add("bias_ih" + suffix, [gateRows])
                    biasHH = add("bias_hh" + suffix, [gateRows])
                }
                let weightHR = configuration.projSize > 0
                    ? add("weight_hr" + suffix, [configuration.projSize, hidden]) : nil
                blocks.append(Block(weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH,
                                    weightHR: weightHR))
            }
        }
        self.entries = entries
        self.blocks = blocks
        self.count = offset
    }

    public var names: [String] { entries.map(\.name) }

    public func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }
}
