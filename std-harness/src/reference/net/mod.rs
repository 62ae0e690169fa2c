//! The reference Petri-net interpreter.
