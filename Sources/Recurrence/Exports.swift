// Files the engine reads and writes report errors as `FileFormatError` and are written with
// `AtomicFile`; users of the engine get both without a second import.
@_exported import AtomicIO
