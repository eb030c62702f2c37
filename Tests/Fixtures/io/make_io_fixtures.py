"""Writes the reference files that IOTests read: .npy files saved by NumPy and .safetensors
files saved by the safetensors package. Run once from anywhere, with a Python that has numpy
and safetensors (tests never run Python):

    /root/torchenv/bin/python Tests/Fixtures/io/make_io_fixtures.py
"""
import os

import numpy as np
from numpy.lib import format as npformat
from safetensors.numpy import save_file

here = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(here, name)


# Readable .npy files: every supported dtype, a scalar, and a 2.0 header.
np.save(path("f4_2x3.npy"), np.array([[0.5, -1.25, 2.0], [3.0, -0.0, 1e-3]], dtype="<f4"))
np.save(path("f8_scalar.npy"), np.array(3.141592653589793, dtype="<f8"))
np.save(path("i8_5.npy"), np.array([-2, -1, 0, 1, 2**40], dtype="<i8"))
np.save(path("i4_2x0.npy"), np.zeros((2, 0), dtype="<i4"))
with open(path("f8_v2.npy"), "wb") as f:
    npformat.write_array(f, np.array([[1.5, -2.5]], dtype="<f8"), version=(2, 0))

# .npy files the reader must refuse.
np.save(path("fortran.npy"), np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
np.save(path("bigendian.npy"), np.arange(3, dtype=">f4"))
np.save(path("object.npy"), np.array([1, "two", None], dtype=object), allow_pickle=True)

# safetensors: all supported dtypes, odd shapes, and metadata with characters JSON must escape.
save_file(
    {
        "weight_ih_l0": np.array([[0.5, -1.25, 2.0], [3.0, -0.0, 1e-3]], dtype="<f4"),
        "bias_ih_l0": np.array([1.0, -2.0, 0.25], dtype="<f8"),
        "step": np.array(7, dtype="<i8"),
        "empty": np.zeros((0, 4), dtype="<i4"),
        "ids": np.array([-3, 2147483647], dtype="<i4"),
    },
    path("mixed.safetensors"),
    metadata={"format": "np", "note": 'tanh "RNN" \u00e9\n'},
)
# One dtype and one metadata key, so the reference's layout (grouped by dtype, then by name)
# equals ours (by name) and the bytes can be compared exactly.
save_file(
    {"b": np.array([1.0, 2.0], dtype="<f4"), "a": np.arange(6, dtype="<f4").reshape(3, 2)},
    path("f4_only.safetensors"),
    metadata={"seed": "42"},
)
# A dtype the reader must refuse, named in the error with its tensor.
save_file({"half": np.array([1.0, 2.0], dtype="<f2")}, path("float16.safetensors"))
