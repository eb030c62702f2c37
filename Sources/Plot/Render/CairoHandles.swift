import CCairo

/// Owns a `cairo_surface_t` and destroys it with the last reference.
final class CairoSurface {
    let pointer: OpaquePointer

    /// Takes ownership of a surface just created, checking its status.
    init(_ pointer: OpaquePointer?, _ what: String) throws(PlotError) {
        guard let pointer else { throw PlotError("cannot create Cairo \(what)") }
        self.pointer = pointer
        try checkStatus(what)
    }

    deinit { cairo_surface_destroy(pointer) }

    func checkStatus(_ what: String = "surface") throws(PlotError) {
        let status = cairo_surface_status(pointer)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PlotError("Cairo \(what): \(String(cString: cairo_status_to_string(status)))")
        }
    }
}

/// Owns a `cairo_t`; keeps its surface alive as long as it draws on it.
final class CairoContext {
    let pointer: OpaquePointer
    let surface: CairoSurface

    init(_ surface: CairoSurface) throws(PlotError) {
        guard let pointer = cairo_create(surface.pointer) else { throw PlotError("cannot create a Cairo context") }
        self.pointer = pointer
        self.surface = surface
        let status = cairo_status(pointer)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PlotError("Cairo context: \(String(cString: cairo_status_to_string(status)))")
        }
    }

    deinit { cairo_destroy(pointer) }
}
