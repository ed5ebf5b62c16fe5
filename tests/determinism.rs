//! Determinism: the same scene, seed and timeline give bit-identical metrics, pinned by a golden hash.

use understory::run::run;
use understory::scene::LoadedScene;

/// FNV-1a over the bits of every metric of every tick.
fn metrics_hash(scene: &LoadedScene, timeline: &str, seed: u64, ticks: u64) -> u64 {
    let timeline = scene.timeline(Some(timeline)).expect("timeline exists");
    let out = run(scene, &timeline, seed, ticks, |_| {}).expect("runs");
    hash_rows(&out.rows)
}

fn hash_rows(rows: &[understory::model::Metrics]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for row in rows {
        for bits in row.bits() {
            for byte in bits.to_le_bytes() {
                hash ^= byte as u64;
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    hash
}

/// The hash of 1,000 ticks of the built-in scene, seed 7, with every intervention and shock the
/// model knows issued in turn, every 60 ticks from tick 20, at strength 0.5 for 200 ticks.
///
/// When you change the model ON PURPOSE, this test fails. Check that the change is the one
/// you meant, then replace this constant with the hash the failure message prints, and say
/// so in the commit message.
const GOLDEN: u64 = 0x473d60499b86328b;

#[test]
fn same_seed_same_metrics_bit_for_bit() {
    let scene = LoadedScene::builtin_default();
    let a = metrics_hash(&scene, "command", 7, 300);
    let b = metrics_hash(&scene, "command", 7, 300);
    assert_eq!(a, b, "two runs of the same scene, seed and timeline differ");
    assert_ne!(a, metrics_hash(&scene, "command", 8, 300), "a different seed must give a different run");
}

#[test]
fn golden_hash_of_the_default_scene_with_every_intervention() {
    use understory::model::{Intervention, InterventionKind, Selection};
    let scene = LoadedScene::builtin_default();
    let mut forest = scene.forest(Some(7)).expect("builds");
    let mut rows = Vec::new();
    for tick in 0..1000u64 {
        if tick >= 20 && (tick - 20) % 60 == 0 && ((tick - 20) / 60) < InterventionKind::ALL.len() as u64 {
            let kind = InterventionKind::ALL[((tick - 20) / 60) as usize];
            forest.intervene(Intervention { kind, strength: 0.5, duration: 200, on: Selection::All });
        }
        forest.step();
        rows.push(forest.metrics);
    }
    let used: std::collections::BTreeSet<_> = forest.issued.iter().map(|(_, iv)| iv.kind).collect();
    assert_eq!(used.len(), InterventionKind::ALL.len(), "the golden run uses every intervention");
    let hash = hash_rows(&rows);
    assert_eq!(
        hash, GOLDEN,
        "the model's output changed: golden hash is now {hash:#018x}. If you changed the model on purpose, \
         set GOLDEN in tests/determinism.rs to {hash:#018x} and say so in your commit message; if not, \
         you broke determinism (look for HashMap iteration, threads or a second source of randomness)."
    );
}

/// Every compiled variant of a tick this CPU can run (portable, AVX2, AVX-512) gives the same
/// bits, over the large scene with every intervention and shock: so a run is the same on a
/// machine with wide vectors and on one without.
#[test]
fn every_cpu_variant_gives_the_same_bits() {
    use understory::model::{CpuPath, Intervention, InterventionKind, Selection};
    let scene = LoadedScene::from_path("scenes/large-changing.ron".as_ref()).expect("shipped scene loads");
    let run_on = |path: CpuPath| -> Vec<u64> {
        let mut forest = scene.forest(None).expect("builds");
        let kinds = InterventionKind::ALL;
        let mut bits = Vec::new();
        for tick in 0..(kinds.len() as u64 * 150) {
            if tick % 150 == 10 {
                let kind = kinds[(tick / 150) as usize];
                forest.intervene(Intervention { kind, strength: 0.5, duration: 100, on: Selection::All });
            }
            forest.step_on(path);
            bits.extend(forest.metrics.bits());
            bits.extend(forest.trees.biomass.iter().chain(&forest.trees.energy).map(|v| v.to_bits()));
        }
        bits
    };
    let portable = run_on(CpuPath::Portable);
    let mut compared = vec![CpuPath::Portable.name()];
    for path in CpuPath::ALL.into_iter().filter(|p| *p != CpuPath::Portable && p.is_available()) {
        assert!(run_on(path) == portable, "the {} variant of a tick differs from the portable one", path.name());
        compared.push(path.name());
    }
    assert_eq!(CpuPath::fastest(), *CpuPath::ALL.iter().rev().find(|p| p.is_available()).expect("portable"));
    println!("cpu variants compared: {}", compared.join(", "));
}
