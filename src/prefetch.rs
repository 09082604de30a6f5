//! A hint to the processor to bring a cache line in ahead of its use: the
//! tables every row looks up (the duplicate check's customers, the
//! accumulator's keys and mentions) are larger than the caches.

/// Asks the processor to bring the cache line at `p` in: a hint, which
/// changes nothing else.
#[inline]
pub fn prefetch(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `_mm_prefetch` needs SSE, which every x86-64 processor has;
    // a prefetch reads nothing into the program and cannot fault, whatever
    // the address.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(p.cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}
