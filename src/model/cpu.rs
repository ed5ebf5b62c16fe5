//! Which compiled variant of a tick this CPU can run (the portable baseline or wider vectors),
//! and the dispatch from `Forest::step` to it. The target-feature lists of the variants and the
//! features asked of the CPU are here, side by side, so they cannot drift apart.

use super::forest::Forest;

/// One compiled variant of `Forest::step`. All do the same IEEE operations in the same order,
/// so they give bit-identical results; the wider ones only handle more trees per instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CpuPath {
    /// What the build targets (the x86-64 baseline by default); runs on any CPU.
    Portable,
    /// AVX2 and the other x86-64-v3 features except FMA.
    Avx2,
    /// AVX-512 (F, VL, DQ, BW) on top of `Avx2`: x86-64-v4 except FMA.
    Avx512,
}

impl CpuPath {
    pub const ALL: [CpuPath; 3] = [CpuPath::Portable, CpuPath::Avx2, CpuPath::Avx512];

    /// Whether this CPU has every feature the variant is compiled for. The standard library
    /// asks the CPU once and caches the answer, so this is a few loads; no cache of our own.
    /// The lists here must cover the `target_feature` lists on `tick_avx2` and `tick_avx512`
    /// below.
    pub fn is_available(self) -> bool {
        match self {
            CpuPath::Portable => true,
            #[cfg(target_arch = "x86_64")]
            CpuPath::Avx2 => {
                std::arch::is_x86_feature_detected!("avx")
                    && std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("bmi1")
                    && std::arch::is_x86_feature_detected!("bmi2")
                    && std::arch::is_x86_feature_detected!("lzcnt")
                    && std::arch::is_x86_feature_detected!("popcnt")
                    && std::arch::is_x86_feature_detected!("sse3")
                    && std::arch::is_x86_feature_detected!("ssse3")
                    && std::arch::is_x86_feature_detected!("sse4.1")
                    && std::arch::is_x86_feature_detected!("sse4.2")
            }
            #[cfg(target_arch = "x86_64")]
            CpuPath::Avx512 => {
                CpuPath::Avx2.is_available()
                    && std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("avx512vl")
                    && std::arch::is_x86_feature_detected!("avx512dq")
                    && std::arch::is_x86_feature_detected!("avx512bw")
            }
            #[cfg(not(target_arch = "x86_64"))]
            CpuPath::Avx2 | CpuPath::Avx512 => false,
        }
    }

    /// The widest variant this CPU can run (cheap: the standard library caches the detection).
    pub fn fastest() -> CpuPath {
        if CpuPath::Avx512.is_available() {
            CpuPath::Avx512
        } else if CpuPath::Avx2.is_available() {
            CpuPath::Avx2
        } else {
            CpuPath::Portable
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            CpuPath::Portable => "portable",
            CpuPath::Avx2 => "avx2",
            CpuPath::Avx512 => "avx512",
        }
    }
}

impl Forest {
    /// Advances the forest by one tick.
    ///
    /// Where the CPU has wider vectors than the x86-64 baseline, the same code runs compiled for
    /// them: loops over trees without running sums (see `tick/mod.rs`) then handle four or
    /// eight trees per instruction. Every variant does the same IEEE operations in the same
    /// order (Rust never fuses a multiply and an add on its own, and no variant enables FMA), so
    /// results stay bit-identical on every machine; a test checks the variants against each other.
    pub fn step(&mut self) {
        self.step_on(CpuPath::fastest());
    }

    /// Advances one tick with the given compiled variant; one this CPU lacks runs `Portable`.
    /// For tests and benchmarks that compare the variants; everything else calls `step`.
    pub fn step_on(&mut self, path: CpuPath) {
        match path {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `is_available` saw this CPU has every feature `tick_avx512` is compiled for.
            CpuPath::Avx512 if path.is_available() => unsafe { self.tick_avx512() },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `is_available` saw this CPU has every feature `tick_avx2` is compiled for.
            CpuPath::Avx2 if path.is_available() => unsafe { self.tick_avx2() },
            _ => self.tick_portable(),
        }
    }

    #[inline(never)]
    fn tick_portable(&mut self) {
        super::tick::body(self);
    }

    /// `step` compiled for AVX2 (x86-64-v3 without FMA).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx,avx2,bmi1,bmi2,lzcnt,popcnt,sse3,ssse3,sse4.1,sse4.2")]
    #[inline(never)]
    unsafe fn tick_avx2(&mut self) {
        super::tick::body(self);
    }

    /// `step` compiled for AVX-512 (x86-64-v4 without FMA).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(
        enable = "avx,avx2,avx512f,avx512vl,avx512dq,avx512bw,bmi1,bmi2,lzcnt,popcnt,sse3,ssse3,sse4.1,sse4.2"
    )]
    #[inline(never)]
    unsafe fn tick_avx512(&mut self) {
        super::tick::body(self);
    }
}
