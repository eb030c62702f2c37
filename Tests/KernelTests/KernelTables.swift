import CKernels

/// One instruction set's row loops for one scalar type, so that a test is written once for
/// Float and Double.
struct RowTable<S> {
    let maxMagnitude: (UnsafePointer<S>, Int) -> Double
    let sumSquares: (UnsafePointer<S>, Int, Double) -> Double
    let add: (UnsafeMutablePointer<S>, UnsafePointer<S>, UnsafePointer<S>, Int) -> Double
    let tanhBackward: (UnsafeMutablePointer<S>, UnsafePointer<S>, UnsafePointer<S>, Int) -> Void
    let reluBackward: (UnsafeMutablePointer<S>, UnsafePointer<S>, UnsafePointer<S>, Int) -> Void
}

extension RowTable where S == Float {
    init(_ table: vanish_float_kernels) {
        (maxMagnitude, sumSquares, add) = (table.max_magnitude, table.sum_squares, table.add)
        (tanhBackward, reluBackward) = (table.tanh_backward, table.relu_backward)
    }
}

extension RowTable where S == Double {
    init(_ table: vanish_double_kernels) {
        (maxMagnitude, sumSquares, add) = (table.max_magnitude, table.sum_squares, table.add)
        (tanhBackward, reluBackward) = (table.tanh_backward, table.relu_backward)
    }
}

/// One instruction set's LSTM and GRU row steps for one scalar type.
struct GateTable<S> {
    let lstmForward: (UnsafeMutablePointer<S>, UnsafePointer<S>, UnsafeMutablePointer<S>, UnsafeMutablePointer<S>, Int) -> Void
    let lstmBackward: (UnsafePointer<S>, UnsafePointer<S>, UnsafePointer<S>, UnsafePointer<S>, UnsafeMutablePointer<S>,
                       UnsafeMutablePointer<S>, UnsafeMutablePointer<S>, Int) -> Void
    let gruForward: (UnsafeMutablePointer<S>, UnsafePointer<S>, UnsafePointer<S>?, UnsafePointer<S>, UnsafeMutablePointer<S>,
                     Int) -> Void
    let gruBackward: (UnsafePointer<S>, UnsafePointer<S>, UnsafePointer<S>, UnsafeMutablePointer<S>, UnsafeMutablePointer<S>,
                      Int) -> Void
}

extension GateTable where S == Float {
    init(_ table: vanish_float_kernels) {
        (lstmForward, lstmBackward) = (table.lstm_forward, table.lstm_backward)
        (gruForward, gruBackward) = (table.gru_forward, table.gru_backward)
    }
}

extension GateTable where S == Double {
    init(_ table: vanish_double_kernels) {
        (lstmForward, lstmBackward) = (table.lstm_forward, table.lstm_backward)
        (gruForward, gruBackward) = (table.gru_forward, table.gru_backward)
    }
}
