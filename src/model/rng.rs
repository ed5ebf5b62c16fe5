//! The model's one source of randomness: a seeded ChaCha generator with portable helpers, in
//! separate streams for the light and for everything else.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Seeded ChaCha8; every random draw in the model goes through it, in a fixed order.
#[derive(Debug, Clone)]
pub struct ModelRng(ChaCha8Rng);

impl ModelRng {
    pub fn seeded(seed: u64) -> Self {
        Self(ChaCha8Rng::seed_from_u64(seed))
    }

    /// The same seed's generator on another of ChaCha's streams: draws that never meet those of
    /// stream 0 (`seeded`), so that how often one part of the model draws cannot move another's.
    pub fn stream(seed: u64, stream: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Self(rng)
    }

    /// Uniform in [0, 1), from 53 random bits: identical on every platform.
    pub fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [-1, 1).
    pub fn signed(&mut self) -> f64 {
        2.0 * self.unit() - 1.0
    }

    /// Uniform index in 0..n (n > 0), by multiply-shift; the tiny bias is irrelevant here.
    pub fn index(&mut self, n: usize) -> usize {
        (((self.0.next_u64() >> 32) * n as u64) >> 32) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_draws() {
        let mut a = ModelRng::seeded(42);
        let mut b = ModelRng::seeded(42);
        for _ in 0..100 {
            assert_eq!(a.unit().to_bits(), b.unit().to_bits());
        }
        let mut c = ModelRng::seeded(43);
        assert_ne!(ModelRng::seeded(42).unit(), c.unit());
    }

    #[test]
    fn a_stream_is_its_own_sequence_and_stream_0_is_the_seeded_one() {
        let mut zero = ModelRng::stream(42, 0);
        let mut seeded = ModelRng::seeded(42);
        assert_eq!(zero.unit().to_bits(), seeded.unit().to_bits());
        let one: Vec<u64> = (0..8).map(|_| ModelRng::stream(42, 1).unit().to_bits()).collect();
        assert!(one.iter().all(|&b| b == one[0]));
        assert_ne!(ModelRng::stream(42, 1).unit().to_bits(), ModelRng::seeded(42).unit().to_bits());
    }

    #[test]
    fn index_stays_in_range() {
        let mut r = ModelRng::seeded(1);
        for n in 1..50 {
            for _ in 0..20 {
                assert!(r.index(n) < n);
            }
        }
    }
}
