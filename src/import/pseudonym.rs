//! Stable pseudonyms for rooms that may not show names: the same name always gets the same
//! pseudonym (a fixed hash of it, no randomness), and no two names share one.

use std::collections::HashSet;

const FIRST: [&str; 32] = [
    "amber", "ashen", "autumn", "bright", "cedar", "clear", "copper", "dawn", "deep", "dusk", "early", "fern", "frost",
    "golden", "green", "hazel", "hollow", "ivy", "lichen", "low", "misty", "moss", "north", "pale", "quiet", "river",
    "silver", "slow", "south", "still", "summer", "wild",
];
const SECOND: [&str; 32] = [
    "alder", "ash", "aspen", "beech", "birch", "bramble", "cedar", "cherry", "elder", "elm", "fir", "gorse",
    "hawthorn", "hazel", "holly", "hornbeam", "juniper", "larch", "laurel", "linden", "maple", "oak", "olive", "pine",
    "poplar", "rowan", "sorrel", "spruce", "sycamore", "walnut", "willow", "yew",
];

/// FNV-1a, 64 bits: fixed across runs, machines and Rust versions (unlike `DefaultHasher`).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// Pseudonyms handed out so far, so that no two names share one.
#[derive(Debug, Default)]
pub struct Pseudonyms {
    taken: HashSet<String>,
}

impl Pseudonyms {
    /// The pseudonym of `name`: two words from its hash, numbered if already taken by another.
    pub fn of(&mut self, name: &str) -> String {
        let h = fnv1a(name);
        let base = format!("{}-{}", FIRST[(h % 32) as usize], SECOND[((h >> 5) % 32) as usize]);
        let mut candidate = base.clone();
        let mut k = 2;
        while !self.taken.insert(candidate.clone()) {
            candidate = format!("{base}-{k}");
            k += 1;
        }
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_names_in_the_same_order_get_the_same_pseudonyms_and_none_is_shared() {
        let names: Vec<String> = (0..3000).map(|k| format!("Person {k}")).collect();
        let run = || {
            let mut p = Pseudonyms::default();
            names.iter().map(|n| p.of(n)).collect::<Vec<_>>()
        };
        let (a, b) = (run(), run());
        assert_eq!(a, b);
        assert_eq!(a.iter().collect::<HashSet<_>>().len(), names.len());
        assert!(a.iter().all(|p| !p.contains("Person")));
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c, "FNV-1a's published value");
    }
}
