//! The honest claims of DESIGN.md, as an experiment over 20 seeds. Outcomes come from the
//! mechanisms; this test only counts them. Run with `--nocapture` to see the counts.

use rayon::prelude::*;
use understory::model::Metrics;
use understory::run::run;
use understory::scene::LoadedScene;

const SEEDS: u64 = 20;

fn runs(scene: &LoadedScene, timeline: &str) -> Vec<Vec<Metrics>> {
    let timeline = scene.timeline(Some(timeline)).expect("timeline exists");
    (1..=SEEDS)
        .into_par_iter()
        .map(|seed| run(scene, &timeline, seed, scene.scene.ticks, |_| {}).expect("runs").rows)
        .collect()
}

/// The `command` and `stewardship` runs of a shipped scene, seed by seed.
fn command_and_stewardship(file: &str) -> (Vec<Vec<Metrics>>, Vec<Vec<Metrics>>) {
    let scene = LoadedScene::from_path(file.as_ref()).expect("loads");
    (runs(&scene, "command"), runs(&scene, "stewardship"))
}

fn end(rows: &[Metrics]) -> Metrics {
    *rows.last().expect("rows")
}

fn count(n: impl Iterator<Item = bool>) -> usize {
    n.filter(|&b| b).count()
}

#[test]
fn in_a_large_changing_forest_stewardship_outlasts_command() {
    let (command, stewardship) = command_and_stewardship("scenes/large-changing.ron");
    let vitality = count(command.iter().zip(&stewardship).map(|(c, s)| end(s).vitality > end(c).vitality));
    let trust = count(command.iter().zip(&stewardship).map(|(c, s)| end(s).trust > end(c).trust));
    // Early: between the first orders (tick 50) and tick 150, does command ever lead on real value?
    let early =
        count(command.iter().zip(&stewardship).map(|(c, s)| (50..150).any(|t| c[t].value_real > s[t].value_real)));
    println!(
        "large-changing, {SEEDS} seeds: stewardship ahead at the end on vitality in {vitality}, on trust in {trust}; \
         command ahead on real value at some tick in 50..150 in {early}"
    );
    assert!(
        vitality > SEEDS as usize / 2,
        "stewardship should end with more vitality in most seeds ({vitality}/{SEEDS})"
    );
    assert!(trust > SEEDS as usize / 2, "stewardship should end with more trust in most seeds ({trust}/{SEEDS})");
    assert!(early > 0, "command should be ahead early on real value in some seeds ({early}/{SEEDS})");
}

#[test]
fn in_a_small_stable_forest_command_does_at_least_as_well() {
    let (command, stewardship) = command_and_stewardship("scenes/small-stable.ron");
    let value = count(command.iter().zip(&stewardship).map(|(c, s)| end(c).value_real >= end(s).value_real));
    let early = count(command.iter().zip(&stewardship).map(|(c, s)| c[150].value_real >= s[150].value_real));
    println!(
        "small-stable, {SEEDS} seeds: command's real value at least stewardship's at the end in {value}, at tick 150 in {early}"
    );
    assert!(
        value > SEEDS as usize / 2,
        "command should deliver at least as much real value at the end ({value}/{SEEDS})"
    );
}
