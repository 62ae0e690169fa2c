//! How much stack an engine step needs: the free stack is painted with a pattern
//! before the step, and afterwards the lowest word that no longer holds it marks the
//! deepest the step reached (its high-water mark).
//!
//! `cortex-m-stack` does the painting and scanning (raw memory access, kept out of
//! this crate, which denies `unsafe_code`); it finds the stack between cortex-m-rt's
//! linker symbols `_stack_end` (just above the statics) and `_stack_start` (the top).
//! It paints from the bottom up to the current stack pointer, so a mark taken just
//! before a step measures that step alone.

/// Where the stack pointer was when the free stack was painted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Painted {
    stack_pointer: usize,
}

/// Paints the free stack below the caller's frame and remembers where that frame is.
pub fn paint() -> Painted {
    let stack_pointer = cortex_m_stack::current_stack_ptr() as usize;
    cortex_m_stack::repaint_stack();
    Painted { stack_pointer }
}

/// The lowest address written since the last paint.
fn lowest_written() -> usize {
    (cortex_m_stack::stack().end as usize).saturating_add(cortex_m_stack::stack_painted() as usize)
}

impl Painted {
    /// Bytes of stack used below the painted mark since then: what the code run in
    /// between needed on top of its caller's frames.
    pub fn used_since(self) -> u32 {
        u32::try_from(self.stack_pointer.saturating_sub(lowest_written())).unwrap_or(u32::MAX)
    }
}

/// Bytes of stack in use at the deepest point since the last paint, counted from the
/// top of the stack (so every frame live at that point is included).
pub fn deepest_from_top() -> u32 {
    let top = cortex_m_stack::stack().start as usize;
    u32::try_from(top.saturating_sub(lowest_written())).unwrap_or(u32::MAX)
}

/// The bytes the stack may use: from the top of RAM down to the statics.
pub fn reserved() -> u32 {
    cortex_m_stack::stack_size()
}
