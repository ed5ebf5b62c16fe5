//! Determinism: the same scene, seed and timeline give bit-identical metrics, pinned by a golden hash.

use understory::run::run;
use understory::scene::LoadedScene;

/// FNV-1a over the bits of every metric of every tick.
fn metrics_hash(scene: &LoadedScene, timeline: &str, seed: u64, ticks: u64) -> u64 {
    let timeline = scene.timeline(Some(timeline)).expect("timeline exists");
    let out = run(scene, &timeline, seed, ticks, |_| {}).expect("runs");
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for row in &out.rows {
        for bits in row.bits() {
            for byte in bits.to_le_bytes() {
                hash ^= byte as u64;
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    hash
}

/// The hash of 600 ticks of the built-in scene's `command` timeline with seed 7.
///
/// When you change the model ON PURPOSE, this test fails. Check that the change is the one
/// you meant (run `cargo run --release -- run --timeline command --seed 7 --ticks 600` before
/// and after), then replace this constant with the hash the failure message prints, and say
/// so in the commit message.
const GOLDEN: u64 = 0x7da736cb0b45f4b4;

#[test]
fn same_seed_same_metrics_bit_for_bit() {
    let scene = LoadedScene::builtin_default();
    let a = metrics_hash(&scene, "command", 7, 300);
    let b = metrics_hash(&scene, "command", 7, 300);
    assert_eq!(a, b, "two runs of the same scene, seed and timeline differ");
    assert_ne!(a, metrics_hash(&scene, "command", 8, 300), "a different seed must give a different run");
}

#[test]
fn golden_hash_of_the_default_scene() {
    let scene = LoadedScene::builtin_default();
    let hash = metrics_hash(&scene, "command", 7, 600);
    assert_eq!(
        hash, GOLDEN,
        "the model's output changed: golden hash is now {hash:#018x}. If you changed the model on purpose, \
         set GOLDEN in tests/determinism.rs to {hash:#018x} and say so in your commit message; if not, \
         you broke determinism (look for HashMap iteration, threads or a second source of randomness)."
    );
}
