//! Which compiled variant of a tick this CPU can run: the portable baseline or wider vectors.

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

    /// Whether this CPU has every feature the variant is compiled for (asked once per run).
    pub fn is_available(self) -> bool {
        static AVAILABLE: std::sync::OnceLock<[bool; 3]> = std::sync::OnceLock::new();
        AVAILABLE.get_or_init(|| CpuPath::ALL.map(CpuPath::detect))[self as usize]
    }

    /// Asks the CPU. The lists here must cover the `target_feature` lists on `tick_avx2` and
    /// `tick_avx512` in step.rs.
    fn detect(self) -> bool {
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
                CpuPath::Avx2.detect()
                    && std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("avx512vl")
                    && std::arch::is_x86_feature_detected!("avx512dq")
                    && std::arch::is_x86_feature_detected!("avx512bw")
            }
            #[cfg(not(target_arch = "x86_64"))]
            CpuPath::Avx2 | CpuPath::Avx512 => false,
        }
    }

    /// The widest variant this CPU can run (cheap: the detection is done once).
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
