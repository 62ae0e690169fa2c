//! How much stack the firmware needs: the free stack is painted with a pattern, and
//! later the lowest word that no longer holds it marks the deepest the stack reached
//! since (its high-water mark).
//!
//! `cortex-m-stack` does the painting and scanning (raw memory access, kept out of
//! this crate, which denies `unsafe_code`); it finds the stack between cortex-m-rt's
//! linker symbols `_stack_end` (just above the statics) and `_stack_start` (the top).

/// Paints the stack below the caller's frame; [`high_water_mark`] then measures from
/// here on.
pub fn paint() {
    cortex_m_stack::repaint_stack();
}

/// The most stack used since the last [`paint`], in bytes, counted from the top of
/// the stack (so the frames of the callers that were live at the paint are included).
pub fn high_water_mark() -> u32 {
    reserved().saturating_sub(cortex_m_stack::stack_painted())
}

/// The bytes the stack may use: from the top of RAM down to the statics.
pub fn reserved() -> u32 {
    cortex_m_stack::stack_size()
}
