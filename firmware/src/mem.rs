//! Small memory routines: copy, fill and compare one byte at a time.
//!
//! The compiler calls these for every copy or fill it does not inline (moving a
//! request, a firing's locals, the breaker's state) and for comparisons of byte
//! strings. compiler_builtins' versions, linked otherwise, copy word by word with a
//! case for every misalignment: 1188 B of flash on thumbv7em (`memcpy` 730 B, its ARM
//! EABI entry points 168 B, `__aeabi_memclr8` 174 B, `memcmp` 116 B), for copies of a
//! few dozen bytes. These take 66 B. Their definitions take precedence over
//! compiler_builtins' weak ones at link time; the linker drops those nothing calls and
//! keeps one copy of identical ones (the three `__aeabi_memcpy*` share theirs).
//! `memmove`, which nothing here calls, stays compiler_builtins'.
//!
//! A byte at a time is slower than word by word, but the copies are short and the
//! run does not show it: its logs, wake-up lateness and stack marks are unchanged.
//! The loops go through volatile reads and writes so that the compiler cannot turn
//! them back into calls to the very routines they implement.
// These routines are called by the compiler through their exported C names.
#![allow(unsafe_code)]

use core::ptr::{read_volatile, write_volatile};

/// Copies `n` bytes from `src` to `dest`, lowest address first. Inlined into each
/// entry point, so that each is one short loop and makes no call.
///
/// # Safety
/// `src` must be valid for reading and `dest` for writing `n` bytes; the two ranges
/// do not overlap, or `dest` starts below `src` (so a forward copy reads every byte
/// before writing over it).
#[inline(always)]
unsafe fn copy_forward(dest: *mut u8, src: *const u8, n: usize) {
    for i in 0..n {
        // SAFETY: `i < n`, and the caller vouches for `n` bytes at both pointers.
        unsafe { write_volatile(dest.add(i), read_volatile(src.add(i))) };
    }
}

/// Writes `n` bytes of `byte` at `dest`. Inlined like [`copy_forward`].
///
/// # Safety
/// `dest` must be valid for writing `n` bytes.
#[inline(always)]
unsafe fn fill(dest: *mut u8, n: usize, byte: u8) {
    for i in 0..n {
        // SAFETY: `i < n`, and the caller vouches for `n` bytes at `dest`.
        unsafe { write_volatile(dest.add(i), byte) };
    }
}

/// C's `memcpy`: copies `n` bytes from `src` to `dest` and returns `dest`.
///
/// # Safety
/// `src` valid for reading and `dest` for writing `n` bytes, not overlapping.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcpy(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // SAFETY: the caller's contract is `copy_forward`'s.
    unsafe { copy_forward(dest, src, n) };
    dest
}

/// C's `memset`: writes `n` bytes of the low byte of `c` at `dest` and returns `dest`.
///
/// # Safety
/// `dest` valid for writing `n` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memset(dest: *mut u8, c: i32, n: usize) -> *mut u8 {
    // Truncation is C's: `memset` writes `(unsigned char) c`.
    let byte = c.to_le_bytes()[0];
    // SAFETY: the caller's contract is `fill`'s.
    unsafe { fill(dest, n, byte) };
    dest
}

/// C's `memcmp`: compares `n` bytes at `a` and `b` as unsigned bytes; returns 0 when
/// they are equal, else the difference of the first pair that differs.
///
/// # Safety
/// `a` and `b` valid for reading `n` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    for i in 0..n {
        // SAFETY: `i < n`, and the caller vouches for `n` bytes at both pointers.
        let (x, y) = unsafe { (read_volatile(a.add(i)), read_volatile(b.add(i))) };
        if x != y {
            return i32::from(x) - i32::from(y);
        }
    }
    0
}

/// C's `bcmp`: 0 when the `n` bytes at `a` and `b` are equal, non-zero otherwise.
///
/// # Safety
/// `a` and `b` valid for reading `n` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: the same contract.
    unsafe { memcmp(a, b, n) }
}

/// The ARM EABI's copy entry points (`__aeabi_memcpy`, and the ones the compiler
/// calls when it knows both pointers are 4- or 8-byte aligned): `memcpy` without a
/// result.
macro_rules! aeabi_memcpy {
    ($($name:ident),*) => {$(
        /// An ARM EABI `memcpy`: copies `n` bytes from `src` to `dest`.
        ///
        /// # Safety
        /// `src` valid for reading and `dest` for writing `n` bytes, not overlapping.
        #[unsafe(no_mangle)]
        pub unsafe extern "aapcs" fn $name(dest: *mut u8, src: *const u8, n: usize) {
            // SAFETY: the caller's contract is `copy_forward`'s.
            unsafe { copy_forward(dest, src, n) }
        }
    )*};
}
aeabi_memcpy!(__aeabi_memcpy, __aeabi_memcpy4, __aeabi_memcpy8);

/// The ARM EABI's fill entry points: `memset` with its last two arguments swapped
/// and no result.
macro_rules! aeabi_memset {
    ($($name:ident),*) => {$(
        /// An ARM EABI `memset`: writes `n` bytes of the low byte of `c` at `dest`.
        ///
        /// # Safety
        /// `dest` valid for writing `n` bytes.
        #[unsafe(no_mangle)]
        pub unsafe extern "aapcs" fn $name(dest: *mut u8, n: usize, c: i32) {
            // SAFETY: the caller's contract is `fill`'s.
            unsafe { fill(dest, n, c.to_le_bytes()[0]) }
        }
    )*};
}
aeabi_memset!(__aeabi_memset, __aeabi_memset4, __aeabi_memset8);

/// The ARM EABI's clear entry points: `memset` with zero.
macro_rules! aeabi_memclr {
    ($($name:ident),*) => {$(
        /// An ARM EABI clear: writes `n` zero bytes at `dest`.
        ///
        /// # Safety
        /// `dest` valid for writing `n` bytes.
        #[unsafe(no_mangle)]
        pub unsafe extern "aapcs" fn $name(dest: *mut u8, n: usize) {
            // SAFETY: the caller's contract is `fill`'s.
            unsafe { fill(dest, n, 0) }
        }
    )*};
}
aeabi_memclr!(__aeabi_memclr, __aeabi_memclr4, __aeabi_memclr8);
