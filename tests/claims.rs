//! The honest claims of DESIGN.md as experiments: counts over 20 seeds, on windows (the mean
//! of the last fifth of the run, and an early window once the first decisions have arrived and
//! acted), at several run lengths, and with each key parameter moved by ±30%. Outcomes come
//! from the mechanisms; this file only counts them. A claim the model does not bear out is
//! printed as such and reported in docs/MODEL.md, not asserted. Run with `--nocapture`.

mod common;

use common::SENSITIVE;
use rayon::prelude::*;
use understory::model::InterventionKind::{
    CreateSlack as Slack, EnforceAlignment as Align, Mandate, PushHarder as Push, Reorganize as Reorg, Target,
};
use understory::model::{InterventionKind, MAX_DELAY, Metrics, Params};
use understory::run::run;
use understory::scene::{
    Entry, LoadedScene, STANDARD_RESTRUCTURE, Scene, Targets, generate, standard_entry, standard_timelines, to_ron,
};

const SEEDS: u64 = 20;
const STYLES: [&str; 3] = ["hands-off", "command", "stewardship"];

/// A scene with its timelines replaced by the standard ones for `ticks` ticks, plus `extra`
/// timelines.
fn with_standard(mut scene: Scene, ticks: u64, extra: &[(&str, Vec<Entry>)]) -> LoadedScene {
    scene.ticks = ticks;
    scene.timelines = standard_timelines(ticks);
    for (name, entries) in extra {
        scene.timelines.insert(name.to_string(), entries.clone());
    }
    LoadedScene::from_source("<claim>", &to_ron(&scene).expect("writes")).expect("checks")
}

/// The standard stewardship timeline for `ticks` ticks less its entry of one kind.
fn stewardship_without(left_out: InterventionKind, ticks: u64) -> Vec<Entry> {
    let mut stewardship = standard_timelines(ticks).remove("stewardship").expect("standard timeline");
    stewardship.retain(|entry| !matches!(entry, Entry::Intervene { kind, .. } if *kind == left_out));
    stewardship
}

fn shipped(file: &str) -> Scene {
    LoadedScene::from_path(file.as_ref()).expect("shipped scene loads").scene
}

/// The windows a claim is measured on.
#[derive(Debug, Clone, Copy)]
struct Windows {
    early: (usize, usize),
    /// From when every standard decision, the structural ones at `STANDARD_RESTRUCTURE` too, can
    /// have reached the deepest trees and delivered, for a fifth of the run: printed beside the
    /// early window, whose end can come before the structural decisions land.
    settled: (usize, usize),
    late: (usize, usize),
}

/// Early: from when the first decisions can have reached the deepest trees and delivered, for a
/// fifth of the run. Late: the last fifth.
fn windows(scene: &LoadedScene) -> Windows {
    let f = scene.forest(None).expect("builds");
    let p = &scene.scene.params;
    let depth = f.trees.depth.iter().copied().max().unwrap_or(0) as usize;
    let arrival = (2 * depth * p.hop_delay as usize + p.mandate_period as usize + p.delivery as usize).max(1);
    let n = scene.scene.ticks as usize;
    let settled = (STANDARD_RESTRUCTURE as usize + arrival).min(n - n / 5);
    Windows {
        early: (arrival, (arrival + n / 5).min(n)),
        settled: (settled, (settled + n / 5).min(n)),
        late: (n - n / 5, n),
    }
}

fn mean(rows: &[Metrics], w: (usize, usize), pick: fn(&Metrics) -> f64) -> f64 {
    rows[w.0..w.1].iter().map(pick).sum::<f64>() / (w.1 - w.0) as f64
}

/// Every seed's rows for each timeline named.
fn runs(scene: &LoadedScene, timelines: &[&str]) -> Vec<Vec<Vec<Metrics>>> {
    timelines
        .iter()
        .map(|name| {
            let t = scene.timeline(Some(name)).expect("timeline exists");
            (1..=SEEDS)
                .into_par_iter()
                .map(|seed| run(scene, &t, seed, scene.scene.ticks, |_| {}).expect("runs").rows)
                .collect()
        })
        .collect()
}

/// Seeds in which `a` beats `b` on a metric's mean over a window.
fn ahead(a: &[Vec<Metrics>], b: &[Vec<Metrics>], w: (usize, usize), pick: fn(&Metrics) -> f64) -> usize {
    a.iter().zip(b).filter(|(x, y)| mean(x, w, pick) > mean(y, w, pick)).count()
}

fn real(m: &Metrics) -> f64 {
    m.value_real
}
fn vitality(m: &Metrics) -> f64 {
    m.vitality
}
fn trust(m: &Metrics) -> f64 {
    m.trust
}

/// Mean real value over the last fifth of `scene` under timeline `name`, for `seed`.
fn late_real(scene: &LoadedScene, name: &str, seed: u64) -> f64 {
    let t = scene.timeline(Some(name)).expect("timeline exists");
    mean(&run(scene, &t, seed, scene.scene.ticks, |_| {}).expect("runs").rows, windows(scene).late, real)
}

/// `scene` with its parameters edited.
fn edited(scene: &LoadedScene, edit: impl FnOnce(&mut Params)) -> LoadedScene {
    let mut changed = scene.scene.clone();
    edit(&mut changed.params);
    LoadedScene::from_source("<claim>", &to_ron(&changed).expect("writes")).expect("checks")
}

/// The sceptic's leadership: it sees every team in full detail, only late (`span_of_detail` 10⁶,
/// `picture_blur` 0).
fn seeing_every_team_in_full(p: &mut Params) {
    p.span_of_detail = 1e6;
    p.picture_blur = 0.0;
}

/// Decisions that take no attention: the orders, their relays and the meetings that watch them
/// (`directive_load`, `relay_load`, `monitor_load` 0).
fn decisions_attention_free(p: &mut Params) {
    p.directive_load = 0.0;
    p.relay_load = 0.0;
    p.monitor_load = 0.0;
}

/// The light's speeds of the finer sweep, from still to the crossover's fastest.
const DRIFT_SPEEDS: [f64; 6] = [0.0, 0.0025, 0.005, 0.01, 0.02, 0.08];

/// Seeds where command delivers more real value than stewardship and than hands-off, in the
/// early window and over the last fifth: `[early, last fifth]`, each `[stewardship, hands-off]`.
fn command_ahead(scene: &LoadedScene) -> [[usize; 2]; 2] {
    let w = windows(scene);
    let [early, _, late] = command_ahead_in(scene, [w.early, w.settled, w.late]);
    [early, late]
}

/// Seeds where command delivers more real value than stewardship and than hands-off in each of
/// `windows`.
fn command_ahead_in<const N: usize>(scene: &LoadedScene, windows: [(usize, usize); N]) -> [[usize; 2]; N] {
    let r = runs(scene, &STYLES);
    windows.map(|window| [ahead(&r[1], &r[2], window, real), ahead(&r[1], &r[0], window, real)])
}

/// Seeds where stewardship ends ahead of command over the last fifth, on real value, vitality and
/// trust.
fn stewardship_ahead(scene: &LoadedScene) -> [usize; 3] {
    let w = windows(scene);
    let r = runs(scene, &["command", "stewardship"]);
    [real, vitality, trust].map(|pick| ahead(&r[1], &r[0], w.late, pick))
}

/// The settings of the sensitivity sweep in which the large-changing claim is known not to hold
/// (docs/MODEL.md, "The honest claims"): where teams take on little work of their own accord.
const LARGE_CHANGING_FAILS_AT: [&str; 1] = ["work_ceiling x0.7"];

fn moved(scene: &Scene, field: &str, factor: f64) -> Scene {
    let mut s = scene.clone();
    s.params = common::moved(&scene.params, field, factor);
    s
}

fn verdict(holds: bool) -> &'static str {
    if holds { "holds" } else { "DOES NOT HOLD" }
}

#[test]
fn in_a_large_changing_forest_stewardship_ends_ahead_of_command() {
    let base = shipped("scenes/large-changing.ron");
    println!("large-changing, {SEEDS} seeds, last fifth: seeds where stewardship is ahead of command");
    println!("{:34} {:>9} {:>6} {:>6} {:>6}", "setting", "at", "value", "vital", "trust");
    // Each setting: its label, the moved parameter's value, the scene and its length.
    let mut settings: Vec<(String, String, Scene, u64)> = [1000u64, 1500, 2000]
        .iter()
        .map(|&ticks| (format!("{ticks} ticks"), String::new(), base.clone(), ticks))
        .collect();
    for field in SENSITIVE {
        for factor in [0.7, 1.3] {
            let scene = moved(&base, field, factor);
            let shown = format!("{:.4}", scene.params.get(field).expect("a parameter"));
            let at = shown.trim_end_matches('0').trim_end_matches('.').to_string();
            settings.push((format!("{field} x{factor}"), at, scene, base.ticks));
        }
    }
    // The sceptic's setting: leadership sees every team in full detail, only late.
    let mut clear = base.clone();
    seeing_every_team_in_full(&mut clear.params);
    settings.push(("every team seen in detail".to_string(), String::new(), clear, base.ticks));
    let mut weakest = [SEEDS as usize; 3];
    let mut fails = Vec::new();
    for (label, at, scene, ticks) in &settings {
        let counts = stewardship_ahead(&with_standard(scene.clone(), *ticks, &[]));
        let holds = counts[0] > SEEDS as usize / 2 && counts[1] > SEEDS as usize / 2;
        println!("{label:34} {at:>9} {:>6} {:>6} {:>6} {}", counts[0], counts[1], counts[2], verdict(holds));
        if !holds {
            fails.push(label.clone());
        }
        if !LARGE_CHANGING_FAILS_AT.contains(&label.as_str()) {
            for k in 0..3 {
                weakest[k] = weakest[k].min(counts[k]);
            }
        }
    }
    println!(
        "fewest seeds in any other setting: value {}, vitality {}, trust {} of {SEEDS}; does not hold at: {fails:?}",
        weakest[0], weakest[1], weakest[2]
    );
    // Stewardship ahead in most seeds on real value and vitality in every setting but those
    // docs/MODEL.md names; where that list is out of date, so are the docs.
    assert_eq!(
        fails, LARGE_CHANGING_FAILS_AT,
        "the settings where the claim does not hold changed: update docs/MODEL.md"
    );
}

/// How far apart the styles end, not only in how many seeds: the mean over seeds of each style's
/// real value, vitality and trust over the last fifth, in the large, changing forest at each run
/// length the claim is measured at.
#[test]
fn how_far_apart_the_styles_end_in_the_large_changing_forest() {
    let base = shipped("scenes/large-changing.ron");
    println!("large-changing, last fifth, mean of {SEEDS} seeds: real value / vitality / trust");
    for ticks in [1000u64, 1500, 2000] {
        // Trust under stewardship without its one lever that works on the values themselves.
        let without_clarity = stewardship_without(InterventionKind::ClarifyValues, ticks);
        let scene = with_standard(base.clone(), ticks, &[("stewardship without clarifying", without_clarity)]);
        let w = windows(&scene);
        let r = runs(&scene, &["hands-off", "command", "stewardship", "stewardship without clarifying"]);
        let level = |k: usize, pick: fn(&Metrics) -> f64| {
            r[k].iter().map(|x| mean(x, w.late, pick)).sum::<f64>() / SEEDS as f64
        };
        let shown: Vec<String> = STYLES
            .iter()
            .enumerate()
            .map(|(k, name)| {
                format!("{name} {:.0} / {:.3} / {:.3}", level(k, real), level(k, vitality), level(k, trust))
            })
            .collect();
        println!("{ticks:>5} ticks: {}", shown.join("  ·  "));
        println!(
            "{:>11}  stewardship without ClarifyValues: trust {:.3}, ahead of command on trust in {} of {SEEDS} seeds \
             (with it: {})",
            "",
            level(3, trust),
            ahead(&r[3], &r[1], w.late, trust),
            ahead(&r[2], &r[1], w.late, trust),
        );
    }
}

#[test]
fn with_the_soil_held_equal_stewardship_still_ends_ahead_in_the_large_changing_forest() {
    let base = shipped("scenes/large-changing.ron");
    let ticks = base.ticks;
    let soil = standard_entry(InterventionKind::EnrichSoil, ticks);
    let mut command = standard_timelines(ticks)["command"].clone();
    let mut stewardship = standard_timelines(ticks)["stewardship"].clone();
    command.push(soil.clone());
    stewardship.push(soil);
    let scene = with_standard(base, ticks, &[("command+soil", command), ("stewardship+soil", stewardship)]);
    let w = windows(&scene);
    let r = runs(&scene, &["command", "stewardship", "command+soil", "stewardship+soil"]);
    let neither = [real, vitality].map(|p| ahead(&r[1], &r[0], w.late, p));
    let both = [real, vitality].map(|p| ahead(&r[3], &r[2], w.late, p));
    println!(
        "large-changing, soil held equal, last fifth, stewardship ahead of command: neither enriched: value {} vitality {}; \
         both enriched: value {} vitality {} (of {SEEDS})",
        neither[0], neither[1], both[0], both[1]
    );
    assert!(both[0] > SEEDS as usize / 2 && both[1] > SEEDS as usize / 2, "with soil on both sides: {both:?}");
}

/// The run lengths and settings of the sensitivity sweep in which the small-stable claim is known
/// not to hold (docs/MODEL.md, "The honest claims"): over long windows command is about even with
/// hands-off, a little behind, so a short window's verdict turns on where the forest's swings
/// fall; and with `work_load` 1.3 routine work leaves teams too little attention to take in the
/// people a reorganization moves.
const SMALL_STABLE_FAILS_AT: [&str; 24] = [
    "400 ticks",
    "800 ticks",
    "1200 ticks",
    "productivity x0.7",
    "productivity x1.3",
    "share_rate x0.7",
    "signal_noise x1.3",
    "hop_delay x0.7",
    "hop_delay x1.3",
    "span_of_detail x0.7",
    "span_of_detail x1.3",
    "picture_blur x1.3",
    "directive_load x1.3",
    "work_load x1.3",
    "adoption_rate x1.3",
    "trust_rate x0.7",
    "negativity_bias x0.7",
    "negativity_bias x1.3",
    "runway x0.7",
    "runway x1.3",
    "delivery x0.7",
    "delivery x1.3",
    "spending x1.3",
    "onboarding x0.7",
];

#[test]
fn in_a_small_stable_forest_command_delivers_more_than_stewardship_and_hands_off() {
    let base = shipped("scenes/small-stable.ron");
    println!(
        "small-stable, {SEEDS} seeds: seeds where command delivers more real value than stewardship / hands-off, \
         early window; last fifth [once every standard decision can have arrived]"
    );
    let mut settings: Vec<(String, Scene, u64)> =
        [400u64, 800, 1200].iter().map(|&ticks| (format!("{ticks} ticks"), base.clone(), ticks)).collect();
    for field in SENSITIVE {
        for factor in [0.7, 1.3] {
            settings.push((format!("{field} x{factor}"), moved(&base, field, factor), base.ticks));
        }
    }
    let half = SEEDS as usize / 2;
    let mut weakest = [SEEDS as usize; 4];
    let mut fails = Vec::new();
    for (label, scene, ticks) in &settings {
        let loaded = with_standard(scene.clone(), *ticks, &[]);
        let w = windows(&loaded);
        let [early, settled, late] = command_ahead_in(&loaded, [w.early, w.settled, w.late]);
        // Judged over the last fifth; the early windows are printed.
        let holds = late.iter().all(|&c| c > half);
        println!(
            "{label:28} {:2} / {:2}; {:2} / {:2} {} [{:2} / {:2}, ticks {}-{}]",
            early[0],
            early[1],
            late[0],
            late[1],
            verdict(holds),
            settled[0],
            settled[1],
            w.settled.0,
            w.settled.1
        );
        if !holds {
            fails.push(label.clone());
        }
        for (k, c) in early.iter().chain(&late).enumerate() {
            weakest[k] = weakest[k].min(*c);
        }
    }
    println!(
        "fewest seeds in any setting: early {} / {}, last fifth {} / {} of {SEEDS}; does not hold at: {fails:?}",
        weakest[0], weakest[1], weakest[2], weakest[3]
    );
    assert_eq!(
        fails, SMALL_STABLE_FAILS_AT,
        "the settings where the claim does not hold changed: update docs/MODEL.md"
    );
}

/// A scene's decisions on every road, its chapters left out (their words may differ).
fn decisions(scene: &Scene) -> Vec<(String, Vec<Entry>)> {
    let mut roads: Vec<_> = scene
        .timelines
        .iter()
        .map(|(name, entries)| {
            (name.clone(), entries.iter().filter(|e| !matches!(e, Entry::Chapter { .. })).cloned().collect())
        })
        .collect();
    roads.sort_by(|a, b| a.0.cmp(&b.0));
    roads
}

/// A shipped variant of the small, stable forest: it must differ from `small-stable.ron` only in
/// the parameters `params` makes of small-stable's, and its captions' words (the same teams,
/// links, light, seed, length and decisions on every road).
fn small_stable_variant(file: &str, params: impl FnOnce(Params) -> Params) -> LoadedScene {
    let base = shipped("scenes/small-stable.ron");
    let variant = LoadedScene::from_path(file.as_ref()).expect("shipped scene loads");
    let s = &variant.scene;
    assert_eq!(s.params, params(base.params.clone()), "{file}: only the named parameters differ");
    assert_eq!(
        (&s.teams, &s.links, &s.light, s.seed, s.ticks),
        (&base.teams, &base.links, &base.light, base.seed, base.ticks)
    );
    assert_eq!(decisions(s), decisions(&base));
    variant
}

/// Seeds where command is ahead of stewardship and of hands-off in a shipped variant, in the
/// early window and over the last fifth (as [`command_ahead`]), printed under the variant's name.
fn variant_counts(name: &str, scene: &LoadedScene) -> [[usize; 2]; 2] {
    let [early, late] = command_ahead(scene);
    println!(
        "{name}, {SEEDS} seeds, its own timelines: command ahead of stewardship / hands-off: early {} / {}, last \
         fifth {} / {}",
        early[0], early[1], late[0], late[1]
    );
    [early, late]
}

/// The shipped scene where teams wait to be told is the small, stable forest with only
/// `work_ceiling` at 0.7, and under its own timelines command delivers more real value there than
/// stewardship and than hands-off in both windows, as its description says.
#[test]
fn where_teams_wait_to_be_told_command_wins_the_small_stable_forest() {
    let told = small_stable_variant("scenes/small-stable-told.ron", |p| Params { work_ceiling: 0.7, ..p });
    let [early, late] = variant_counts("small-stable-told", &told);
    let most = SEEDS as usize / 2;
    assert!(early.iter().chain(&late).all(|&k| k > most), "command must win both windows here: {early:?} {late:?}");
}

/// The shipped scene where people move on their own is the small, stable forest with only
/// `mobility` above 0, and under its own timelines command delivers less than hands-off and than
/// stewardship over the last fifth in most seeds, as its description says.
#[test]
fn where_people_move_on_their_own_command_falls_behind_both() {
    let mobile = small_stable_variant("scenes/small-stable-mobile.ron", |p| Params { mobility: 0.001, ..p });
    let [_, late] = variant_counts("small-stable-mobile", &mobile);
    let most = SEEDS as usize / 2;
    assert!(late[1] < most && late[0] < most, "last fifth: {late:?}");
}

/// The shipped scene where light is shared is the small, stable forest with only `crowding` above
/// 0, and under its own timelines command delivers less than hands-off and than stewardship over
/// the last fifth in most seeds, as its header says.
#[test]
fn where_light_is_shared_command_falls_behind_hands_off_in_the_small_stable_forest() {
    let shared = small_stable_variant("scenes/small-stable-shared.ron", |p| Params { crowding: 0.3, ..p });
    let [_, late] = variant_counts("small-stable-shared", &shared);
    let most = SEEDS as usize / 2;
    assert!(late[1] < most && late[0] < most, "last fifth: {late:?}");
}

/// How much work teams take on of their own accord (`work_ceiling`: the share of its attention a
/// team lets work fill where work pays, unasked) against where both verdicts land. Pressure
/// (a target's, a push's) crowds that initiative out one for one, so the less of it there is,
/// the more an order to work harder adds.
#[test]
fn what_the_verdicts_turn_on_how_much_work_teams_take_on_unasked() {
    let small = shipped("scenes/small-stable.ron");
    let large = shipped("scenes/large-changing.ron");
    println!(
        "work_ceiling | small-stable ({} ticks), command ahead of stewardship / hands-off: early; last fifth | \
         large-changing ({} ticks), last fifth, stewardship ahead of command: value / vitality (of {SEEDS})",
        small.ticks, large.ticks
    );
    let half = SEEDS as usize / 2;
    let mut verdicts = Vec::new();
    for ceiling in [0.63, 0.7, 0.8, 0.9, 1.0] {
        let mut s = small.clone();
        s.params.work_ceiling = ceiling;
        let [early, late] = command_ahead(&with_standard(s, small.ticks, &[]));
        // The small-stable claim's own test: over the last fifth.
        let command_wins = late.iter().all(|&c| c > half);
        let mut l = large.clone();
        l.params.work_ceiling = ceiling;
        let [value, vital, _] = stewardship_ahead(&with_standard(l, large.ticks, &[]));
        let stewardship = [value, vital];
        let stewardship_wins = stewardship.iter().all(|&c| c > half);
        println!(
            "{ceiling:12} | {:2} / {:2}; {:2} / {:2} {:14} | {:2} / {:2} {}",
            early[0],
            early[1],
            late[0],
            late[1],
            verdict(command_wins),
            stewardship[0],
            stewardship[1],
            verdict(stewardship_wins)
        );
        verdicts.push((ceiling, command_wins, stewardship_wins));
    }
    println!("(work_ceiling, command wins small-stable, stewardship wins large-changing): {verdicts:?}");
    assert_eq!(verdicts, WORK_CEILING_VERDICTS, "the verdicts changed: update docs/MODEL.md");
}

/// Near the top of `work_ceiling` (0.9, 0.95, 0.98, 0.99, 1.0): each verdict over the last fifth
/// (small-stable: seeds where command is ahead of hands-off and of stewardship; large-changing:
/// where stewardship is ahead of command), beside the share of living trees with no attention
/// free (less than a millionth of it), which barely move where they work (`lean.rs`: not at all
/// with none), under each style over the same window.
#[test]
#[ignore]
fn figures_work_ceiling_near_one_where_trees_have_no_room_to_turn() {
    for file in ["scenes/small-stable.ron", "scenes/large-changing.ron"] {
        for ceiling in [0.9, 0.95, 0.98, 0.99, 1.0] {
            let mut scene = shipped(file);
            scene.params.work_ceiling = ceiling;
            let ticks = scene.ticks;
            let scene = with_standard(scene, ticks, &[]);
            let late = windows(&scene).late;
            // Per seed, per style: real value and the share of trees with no attention free.
            let per_seed: Vec<[[f64; 2]; 3]> = (1..=SEEDS)
                .into_par_iter()
                .map(|seed| {
                    STYLES.map(|name| {
                        let t = scene.timeline(Some(name)).expect("timeline");
                        let mut f = scene.forest(Some(seed)).expect("builds");
                        let mut sums = [0.0; 2];
                        while f.tick < ticks {
                            understory::run::advance(&mut f, &t);
                            if f.tick as usize > late.0 {
                                let tr = &f.trees;
                                let living: Vec<usize> = (0..tr.x.len()).filter(|&i| tr.alive[i]).collect();
                                let full = living
                                    .iter()
                                    .filter(|&&i| tr.attention_load[i] > (1.0 - 1e-6) * tr.attention_capacity[i])
                                    .count();
                                sums[0] += tr.value_real.iter().sum::<f64>();
                                sums[1] += full as f64 / living.len() as f64;
                            }
                        }
                        sums.map(|x| x / (late.1 - late.0) as f64)
                    })
                })
                .collect();
            let ahead = |a: usize, b: usize| per_seed.iter().filter(|r| r[a][0] > r[b][0]).count();
            let frozen = |k: usize| per_seed.iter().map(|r| r[k][1]).sum::<f64>() / SEEDS as f64;
            println!(
                "{file}, work_ceiling {ceiling}: command ahead of hands-off in {}, of stewardship in {}, stewardship \
                 ahead of command in {} of {SEEDS}; trees with no attention free {:.3} / {:.3} / {:.3} \
                 (hands-off / command / stewardship)",
                ahead(1, 0),
                ahead(1, 2),
                ahead(2, 1),
                frozen(0),
                frozen(1),
                frozen(2)
            );
        }
    }
}

/// By `work_ceiling`: whether command wins the small, stable forest over the last fifth, and
/// stewardship the large, changing one (docs/MODEL.md).
const WORK_CEILING_VERDICTS: [(f64, bool, bool); 5] =
    [(0.63, true, false), (0.7, true, true), (0.8, false, true), (0.9, false, true), (1.0, true, true)];

/// Every parameter moved by ±30% one at a time (to the end of its range where 30% would pass
/// it), against both verdicts: too slow for every test run (about two and a half minutes on two
/// cores), so run on demand: `cargo test --release --test claims -- --ignored --nocapture`.
#[test]
#[ignore]
fn screen_every_parameter_against_both_verdicts() {
    let small = shipped("scenes/small-stable.ron");
    let large = shipped("scenes/large-changing.ron");
    println!(
        "parameter x factor: small-stable, command ahead of stewardship / hands-off, early; last fifth | \
         large-changing, last fifth, stewardship ahead of command on real value (of {SEEDS})"
    );
    for (field, ..) in Params::default().ranges() {
        for factor in [0.7, 1.3] {
            let [early, late] = command_ahead(&with_standard(moved(&small, field, factor), small.ticks, &[]));
            let [stewardship, ..] = stewardship_ahead(&with_standard(moved(&large, field, factor), large.ticks, &[]));
            println!(
                "{field:22} x{factor} | {:2} / {:2}; {:2} / {:2} | {stewardship:2}",
                early[0], early[1], late[0], late[1]
            );
        }
    }
}

/// What each intervention alone does against leaving the forest alone, in a shipped scene at
/// strength 0.3: mean real value over both windows and vitality over the last fifth, and the
/// seeds where it is ahead on real value over the last fifth.
fn each_intervention_alone(file: &str) {
    let base = shipped(file);
    let ticks = base.ticks;
    let kinds = [
        InterventionKind::Mandate,
        InterventionKind::Target,
        InterventionKind::EnforceAlignment,
        InterventionKind::Reorganize,
        InterventionKind::PushHarder,
        InterventionKind::CutWeakest,
        InterventionKind::OpenFeedback,
        InterventionKind::ClarifyValues,
        InterventionKind::LetLightIn,
        InterventionKind::GrowConnections,
        InterventionKind::CreateSlack,
        InterventionKind::EnrichSoil,
    ];
    let extra: Vec<(&str, Vec<Entry>)> = kinds.iter().map(|&k| (k.label(), vec![standard_entry(k, ticks)])).collect();
    let scene = with_standard(base, ticks, &extra);
    let w = windows(&scene);
    let mut names = vec!["hands-off"];
    names.extend(kinds.iter().map(|k| k.label()));
    let r = runs(&scene, &names);
    println!("{file}, {ticks} ticks, each intervention alone at strength 0.3 against hands-off, {SEEDS} seeds:");
    println!("{:18} {:>11} {:>11} {:>9} {:>9}", "", "value early", "value late", "vitality", "ahead");
    for (k, kind) in kinds.iter().enumerate() {
        let change = |w: (usize, usize), pick: fn(&Metrics) -> f64| {
            let (a, b): (f64, f64) = r[0]
                .iter()
                .zip(&r[k + 1])
                .map(|(h, x)| (mean(h, w, pick), mean(x, w, pick)))
                .fold((0.0, 0.0), |(sa, sb), (a, b)| (sa + a, sb + b));
            100.0 * (b / a - 1.0)
        };
        println!(
            "{:18} {:+10.1}% {:+10.1}% {:+8.1}% {:>6}/{SEEDS}",
            kind.label(),
            change(w.early, real),
            change(w.late, real),
            change(w.late, vitality),
            ahead(&r[k + 1], &r[0], w.late, real)
        );
    }
}

#[test]
fn what_each_intervention_does_alone_against_hands_off_in_the_large_changing_forest() {
    each_intervention_alone("scenes/large-changing.ron");
}

#[test]
fn what_each_intervention_does_alone_against_hands_off_in_the_small_stable_forest() {
    each_intervention_alone("scenes/small-stable.ron");
}

/// The standard timelines pair four purposes; pace (pushing harder against making slack) is the
/// fifth pair a leader has. Reported beside the standard comparison, never in its place.
#[test]
fn with_the_pace_pair_added_in_the_small_stable_forest() {
    let base = shipped("scenes/small-stable.ron");
    println!("small-stable with PushHarder added to command and CreateSlack to stewardship, {SEEDS} seeds:");
    println!("seeds where command delivers more real value than stewardship / hands-off");
    for ticks in [400u64, 800, 1200] {
        let standard = standard_timelines(ticks);
        let mut command = standard["command"].clone();
        let mut stewardship = standard["stewardship"].clone();
        command.push(standard_entry(InterventionKind::PushHarder, ticks));
        stewardship.push(standard_entry(InterventionKind::CreateSlack, ticks));
        let scene = with_standard(base.clone(), ticks, &[("command+pace", command), ("stewardship+pace", stewardship)]);
        let w = windows(&scene);
        let r = runs(&scene, &["hands-off", "command+pace", "stewardship+pace"]);
        println!(
            "{ticks:5} ticks: early window {:?}: {} / {}; last fifth: {} / {}",
            w.early,
            ahead(&r[1], &r[2], w.early, real),
            ahead(&r[1], &r[0], w.early, real),
            ahead(&r[1], &r[2], w.late, real),
            ahead(&r[1], &r[0], w.late, real)
        );
    }
}

/// A generated forest for the crossover sweeps.
#[derive(Clone, Copy)]
struct Sweep {
    teams: usize,
    /// Reports per manager.
    span: usize,
    /// Ticks a hop of the hierarchy.
    hop: u32,
    /// How fast the light changes (drift and jumps a tenth of it).
    change: f64,
    /// Every link's generated delay is multiplied by this.
    slow: u32,
    /// How much work teams take on unasked (`Params::work_ceiling`).
    work_ceiling: f64,
}

impl Sweep {
    fn forest(self, seed: u64) -> LoadedScene {
        self.forest_with(seed, &[])
    }

    /// The forest with the standard timelines and `extra` ones.
    fn forest_with(self, seed: u64, extra: &[(&str, Vec<Entry>)]) -> LoadedScene {
        let mut scene = generate(self.teams, self.teams * 5 / 2, seed).expect("generates");
        for link in &mut scene.links {
            link.delay = (link.delay * self.slow).min(MAX_DELAY);
        }
        let width = self.teams.to_string().len();
        for (i, t) in scene.teams.iter_mut().enumerate() {
            t.reports_to = (i > 0).then(|| format!("team-{:0width$}", (i - 1) / self.span));
        }
        scene.params = Params { hop_delay: self.hop, work_ceiling: self.work_ceiling, ..Default::default() };
        scene.light.drift = 0.1 * self.change;
        scene.light.change = self.change;
        scene.light.jump = 0.1 * self.change;
        with_standard(scene, 1000, extra)
    }
}

/// How command did in one cell of a crossover sweep.
#[derive(Debug, Clone, Copy)]
struct Wins {
    /// Seeds where command delivers more real value over the last fifth than both others.
    seeds: usize,
    /// Its mean advantage over the better of them, in percent.
    advantage: f64,
    /// Its real value against hands-off's, summed over seeds, in percent.
    over_hands_off: f64,
}

fn command_wins(make: impl Fn(u64) -> LoadedScene + Sync) -> Wins {
    let results: Vec<(f64, f64, f64)> = (1..=SEEDS)
        .into_par_iter()
        .map(|seed| {
            let scene = make(seed);
            let late = windows(&scene).late;
            let value = |name: &str| {
                let t = scene.timeline(Some(name)).expect("timeline");
                mean(&run(&scene, &t, seed, scene.scene.ticks, |_| {}).expect("runs").rows, late, real)
            };
            (value("hands-off"), value("command"), value("stewardship"))
        })
        .collect();
    let seeds = results.iter().filter(|(h, c, s)| c > h && c > s).count();
    let advantage = results.iter().map(|(h, c, s)| c / h.max(*s) - 1.0).sum::<f64>() / results.len() as f64;
    let total = |pick: fn(&(f64, f64, f64)) -> f64| results.iter().map(pick).sum::<f64>();
    let over_hands_off = 100.0 * (total(|r| r.1) / total(|r| r.0) - 1.0);
    Wins { seeds, advantage: 100.0 * advantage, over_hands_off }
}

/// Prints one crossover table: a row per `(label, row)`, a column per label, and in each cell
/// `cell(row, column)` as wins and advantage. Returns the cells, by row and column.
fn print_wins_table<R>(
    corner: &str,
    columns: &[String],
    rows: &[(String, R)],
    cell: impl Fn(&R, usize) -> Wins,
) -> Vec<Vec<Wins>> {
    print!("{corner:>8}");
    for c in columns {
        print!(" | {c:<12}");
    }
    println!();
    let mut table = Vec::new();
    for (label, row) in rows {
        print!("{label:>8}");
        let mut cells = Vec::new();
        for j in 0..columns.len() {
            let wins = cell(row, j);
            print!(" | {:>2} {:+7.1}%", wins.seeds, wins.advantage);
            cells.push(wins);
        }
        println!();
        table.push(cells);
    }
    table
}

/// Prints command's real value against hands-off's for each cell of a table already run, a row per
/// `(label, row)` as that table was run with.
fn print_over_hands_off<R>(corner: &str, columns: &[String], rows: &[(String, R)], table: &[Vec<Wins>]) {
    print!("{corner:>8}");
    for c in columns {
        print!(" | {c:<8}");
    }
    println!();
    for ((label, _), row) in rows.iter().zip(table) {
        println!("{label:>8}{}", row.iter().map(|w| format!(" | {:+7.1}%", w.over_hands_off)).collect::<String>());
    }
}

/// Rows labelled by their own value.
fn labelled<T: std::fmt::Display + Copy>(values: &[T]) -> Vec<(String, T)> {
    values.iter().map(|v| (v.to_string(), *v)).collect()
}

/// What the crossover tables show, by row and column: how command did by size and change, and
/// by depth and hop delay at each change (still, 0.02, 0.08).
struct Crossover {
    size: Vec<Vec<Wins>>,
    depth: Vec<(f64, Vec<Vec<Wins>>)>,
}

/// The three crossover tables, in forests where teams take on work unasked up to `work_ceiling`.
fn crossover_tables(work_ceiling: f64) -> Crossover {
    let base = Sweep { teams: 64, span: 8, hop: 2, change: 0.02, slow: 1, work_ceiling };
    println!(
        "crossover, work_ceiling {work_ceiling}: seeds (of {SEEDS}) where command delivers the most real value over the"
    );
    println!(
        "last fifth, and its mean advantage over the better of hands-off and stewardship; six reports per manager, two ticks a hop"
    );
    let changes = [0.0, 0.02, 0.08];
    let columns = changes.map(|c| format!("change {c}"));
    let sizes = labelled(&[8usize, 32, 128, 512]);
    let size = print_wins_table("teams", &columns, &sizes, |&teams, j| {
        command_wins(|seed| Sweep { teams, span: 6, change: changes[j], ..base }.forest(seed))
    });
    println!("the same, command's real value against hands-off's (not the better of the two):");
    print_over_hands_off("teams", &columns, &sizes, &size);
    // Depth by delay where the light changes at 0.02, then where it is still and where it moves
    // fast, so that no verdict on depth rests on one speed of change.
    let hops = [1u32, 4, 16];
    let columns = hops.map(|h| format!("hop {h}"));
    let depths = [(1usize, 63usize), (2, 8), (3, 4), (6, 2)].map(|(depth, span)| (depth.to_string(), span));
    let mut depth = Vec::new();
    for change in [0.02, 0.0, 0.08] {
        println!("depth by hop delay, 64 teams, light changing at {change}:");
        let table = print_wins_table("depth", &columns, &depths, |&span, j| {
            command_wins(|seed| Sweep { span, hop: hops[j], change, ..base }.forest(seed))
        });
        println!("the same, command's real value against hands-off's (not the better of the two):");
        print_over_hands_off("depth", &columns, &depths, &table);
        depth.push((change, table));
    }
    println!("link delay (every link's generated delay times the factor), 64 teams, depth 2, two ticks a hop:");
    let factors = [1u32, 4, 16];
    let columns = factors.map(|f| format!("links x{f}"));
    let by_change = labelled(&changes);
    let links = print_wins_table("change", &columns, &by_change, |&change, j| {
        command_wins(|seed| Sweep { change, slow: factors[j], ..base }.forest(seed))
    });
    println!("the same, command's real value against hands-off's (not the better of the two):");
    print_over_hands_off("change", &columns, &by_change, &links);
    Crossover { size, depth }
}

/// The parts of the essay's crossover, checked at the defaults: where the light is still,
/// command's advantage is larger in the smallest forest than in the largest, and falls with
/// every level of hierarchy at one and at four ticks a hop; from 32 teams on it falls the faster
/// the light changes (between still, 0.02 and 0.08); and where the light changes at 0.02, its
/// gain over hands-off is smaller at sixteen ticks a hop than at one, at every depth. The parts
/// that do not hold are pinned in `CROSSOVER_SHORT_AT`, as docs/MODEL.md reports them (the light's
/// change at every size from 32 teams on: command does better, not worse, as it changes faster).
/// Slower hops against the better of the other two, and slower links: printed, not checked.
#[test]
fn where_command_wins_size_by_the_lights_change_and_depth_by_delay() {
    let c = crossover_tables(Params::default().work_ceiling);
    let mut short: Vec<String> = Vec::new();
    let still = |row: usize| c.size[row][0].advantage;
    if still(0) <= still(3) {
        short.push("still light: 8 against 512 teams".into());
    }
    for (row, teams) in c.size[1..].iter().zip([32, 128, 512]) {
        let a: Vec<f64> = row.iter().map(|w| w.advantage).collect();
        if !(a[0] > a[1] && a[1] > a[2]) {
            short.push(format!("{teams} teams: by the light's change"));
        }
    }
    let depth_at = |light: f64| &c.depth.iter().find(|(change, _)| *change == light).expect("swept").1;
    let by_depth = depth_at(0.0);
    for (hop, ticks) in [(0, 1), (1, 4)] {
        if !by_depth.windows(2).all(|d| d[0][hop].advantage > d[1][hop].advantage) {
            short.push(format!("still light: by depth at {ticks} ticks a hop"));
        }
    }
    // Where the light changes at 0.02, command gains less over hands-off at sixteen ticks a hop
    // than at one, at every depth.
    for (row, depth) in depth_at(0.02).iter().zip([1, 2, 3, 6]) {
        if row[2].over_hands_off >= row[0].over_hands_off {
            short.push(format!("0.02: over hands-off by hop delay at depth {depth}"));
        }
    }
    println!("the crossover's parts that do not hold: {short:?}");
    assert_eq!(short, CROSSOVER_SHORT_AT, "the parts that hold changed: update docs/MODEL.md");
}

/// The parts of the crossover that docs/MODEL.md says do not hold.
const CROSSOVER_SHORT_AT: [&str; 3] =
    ["32 teams: by the light's change", "128 teams: by the light's change", "512 teams: by the light's change"];

/// The same sweeps where teams leave more of their attention idle unless asked ("What the
/// verdicts turn on" in docs/MODEL.md).
#[test]
fn where_command_wins_when_teams_take_on_less_unasked() {
    crossover_tables(0.7);
}

/// For each timeline of `names`, the mean over seeds of its real value over the last fifth, as a
/// change in percent on the first's, in forests `make` builds for each seed. The change of the
/// mean, as `each_intervention_alone` gives it: a mean of per-seed ratios would let one seed
/// where the first collapses carry the figure.
fn gains_on_the_first(names: &[&str], make: impl Fn(u64) -> LoadedScene + Sync) -> Vec<f64> {
    let per_seed: Vec<Vec<f64>> = (1..=SEEDS)
        .into_par_iter()
        .map(|seed| {
            let scene = make(seed);
            let late = windows(&scene).late;
            names
                .iter()
                .map(|name| {
                    let t = scene.timeline(Some(name)).expect("timeline");
                    mean(&run(&scene, &t, seed, scene.scene.ticks, |_| {}).expect("runs").rows, late, real)
                })
                .collect()
        })
        .collect();
    let total = |k: usize| per_seed.iter().map(|r| r[k]).sum::<f64>();
    (0..names.len()).map(|k| 100.0 * (total(k) / total(0) - 1.0)).collect()
}

/// What carries command where the light is still, and what becomes of it where the light moves
/// fast: each of its levers alone, and pushing harder (effort with no direction), against
/// leaving the forest alone, by forest size, at the default `work_ceiling` and where teams take
/// on less work unasked. Real value over the last fifth, its mean over seeds against hands-off's.
/// Held to docs/MODEL.md: the cells where, from 32 teams on, a lever that gives direction does not
/// gain less where the light moves.
#[test]
fn what_carries_command_where_the_light_is_still() {
    let levers = [
        InterventionKind::Mandate,
        InterventionKind::Target,
        InterventionKind::EnforceAlignment,
        InterventionKind::Reorganize,
        InterventionKind::PushHarder,
    ];
    let extra: Vec<(&str, Vec<Entry>)> = levers.iter().map(|&k| (k.label(), vec![standard_entry(k, 1000)])).collect();
    let mut names = vec!["hands-off", "command", "stewardship"];
    names.extend(levers.iter().map(|k| k.label()));
    println!(
        "six reports per manager, two ticks a hop: real value over the last fifth, mean of {SEEDS} seeds, against hands-off's"
    );
    println!(
        "{:>6} {:>12} {:>6} | {}",
        "change",
        "work_ceiling",
        "teams",
        names[1..].iter().map(|n| format!(" {n:>17}")).collect::<String>()
    );
    // Each lever's change against hands-off, by (moving light, work_ceiling, teams).
    let mut changes: Vec<((bool, f64, usize), Vec<f64>)> = Vec::new();
    for light_change in [0.0, 0.08] {
        for work_ceiling in [Params::default().work_ceiling, 0.7] {
            for teams in [8usize, 32, 512] {
                let sweep = Sweep { teams, span: 6, hop: 2, change: light_change, slow: 1, work_ceiling };
                let gains = gains_on_the_first(&names, |seed| sweep.forest_with(seed, &extra));
                println!(
                    "{light_change:>6} {work_ceiling:>12} {teams:>6} | {}",
                    gains[1..].iter().map(|g| format!(" {g:>+16.1}%")).collect::<String>()
                );
                changes.push(((light_change > 0.0, work_ceiling, teams), gains));
            }
        }
    }
    // From 32 teams on, do the levers that give direction (the target's measure, alignment
    // orders) gain less where the light moves than where it is still, at both settings?
    let at = |moving: bool, ceiling: f64, teams: usize, lever: &str| {
        let k = names.iter().position(|n| *n == lever).expect("a lever");
        changes.iter().find(|(key, _)| *key == (moving, ceiling, teams)).expect("measured").1[k]
    };
    let mut short = Vec::new();
    for ceiling in [Params::default().work_ceiling, 0.7] {
        for teams in [32, 512] {
            for lever in [InterventionKind::Target.label(), InterventionKind::EnforceAlignment.label()] {
                let (still, moving) = (at(false, ceiling, teams, lever), at(true, ceiling, teams, lever));
                if moving >= still {
                    short.push(format!("{lever}, {teams} teams, work_ceiling {ceiling}"));
                }
            }
        }
    }
    println!("direction does not gain less where the light moves: {short:?}");
    assert_eq!(short, DIRECTION_GAINS_MORE_MOVING_AT, "the cells changed: update docs/MODEL.md");
}

/// The cells of `what_carries_command_where_the_light_is_still` that docs/MODEL.md names.
const DIRECTION_GAINS_MORE_MOVING_AT: [&str; 5] = [
    "target, 32 teams, work_ceiling 0.9",
    "enforce alignment, 32 teams, work_ceiling 0.9",
    "target, 512 teams, work_ceiling 0.9",
    "enforce alignment, 512 teams, work_ceiling 0.9",
    "target, 512 teams, work_ceiling 0.7",
];

/// The settings of `direction_from_the_top_gains_less_where_the_light_moves_with_parameters_moved`
/// where it does not hold; docs/MODEL.md names the same.
const DIRECTION_FAILS_AT: [&str; 29] = [
    "reach x0.7, 32 teams, work_ceiling 0.9",
    "reach x0.7, 512 teams, work_ceiling 0.7",
    "reach x1.3, 32 teams, work_ceiling 0.9",
    "lean_rate x0.7, 32 teams, work_ceiling 0.9",
    "lean_rate x0.7, 512 teams, work_ceiling 0.7",
    "lean_rate x1.3, 32 teams, work_ceiling 0.9",
    "hop_delay x0.7, 32 teams, work_ceiling 0.9",
    "hop_delay x0.7, 512 teams, work_ceiling 0.7",
    "hop_delay x1.3, 32 teams, work_ceiling 0.9",
    "hop_delay x1.3, 512 teams, work_ceiling 0.7",
    "work_load x0.7, 512 teams, work_ceiling 0.7",
    "work_load x1.3, 32 teams, work_ceiling 0.9",
    "work_load x1.3, 512 teams, work_ceiling 0.7",
    "adoption_rate x0.7, 32 teams, work_ceiling 0.9",
    "adoption_rate x0.7, 512 teams, work_ceiling 0.7",
    "adoption_rate x1.3, 32 teams, work_ceiling 0.9",
    "adoption_rate x1.3, 512 teams, work_ceiling 0.7",
    "signal_noise x0.7, 32 teams, work_ceiling 0.9",
    "signal_noise x0.7, 512 teams, work_ceiling 0.7",
    "signal_noise x1.3, 32 teams, work_ceiling 0.9",
    "signal_noise x1.3, 512 teams, work_ceiling 0.7",
    "span_of_detail x0.7, 32 teams, work_ceiling 0.9",
    "span_of_detail x0.7, 512 teams, work_ceiling 0.7",
    "span_of_detail x1.3, 32 teams, work_ceiling 0.9",
    "span_of_detail x1.3, 512 teams, work_ceiling 0.7",
    "delivery x0.7, 32 teams, work_ceiling 0.9",
    "delivery x0.7, 512 teams, work_ceiling 0.7",
    "delivery x1.3, 32 teams, work_ceiling 0.9",
    "delivery x1.3, 512 teams, work_ceiling 0.7",
];

/// The direction result of `what_carries_command_where_the_light_is_still`, with key parameters
/// moved ±30% one at a time, in its narrowest case (32 teams, the default `work_ceiling`) and its
/// widest (512 teams, 0.7): the target's and alignment orders' gain against hands-off where the
/// light is still and where it moves at 0.08.
#[test]
fn direction_from_the_top_gains_less_where_the_light_moves_with_parameters_moved() {
    let levers = [InterventionKind::Target, InterventionKind::EnforceAlignment];
    let extra: Vec<(&str, Vec<Entry>)> = levers.iter().map(|&k| (k.label(), vec![standard_entry(k, 1000)])).collect();
    let names = ["hands-off", levers[0].label(), levers[1].label()];
    println!(
        "direction from the top, {SEEDS} seeds: target and alignment against hands-off, still light -> moving at 0.08"
    );
    let mut fails = Vec::new();
    for field in
        ["reach", "lean_rate", "hop_delay", "work_load", "adoption_rate", "signal_noise", "span_of_detail", "delivery"]
    {
        for factor in [0.7, 1.3] {
            for (work_ceiling, teams) in [(Params::default().work_ceiling, 32usize), (0.7, 512)] {
                let gains: Vec<[f64; 2]> = [0.0, 0.08]
                    .iter()
                    .map(|&change| {
                        let sweep = Sweep { teams, span: 6, hop: 2, change, slow: 1, work_ceiling };
                        let gains = gains_on_the_first(&names, |seed| {
                            let scene = moved(&sweep.forest_with(seed, &extra).scene, field, factor);
                            LoadedScene::from_source("<claim>", &to_ron(&scene).expect("writes")).expect("checks")
                        });
                        [gains[1], gains[2]]
                    })
                    .collect();
                let holds = gains[1][0] < gains[0][0] && gains[1][1] < gains[0][1];
                let label = format!("{field} x{factor}, {teams} teams, work_ceiling {work_ceiling}");
                println!(
                    "{label:44} target {:+5.1}% -> {:+5.1}%, alignment {:+5.1}% -> {:+5.1}% {}",
                    gains[0][0],
                    gains[1][0],
                    gains[0][1],
                    gains[1][1],
                    verdict(holds)
                );
                if !holds {
                    fails.push(label);
                }
            }
        }
    }
    assert_eq!(fails, DIRECTION_FAILS_AT, "the settings where it does not hold changed: update docs/MODEL.md");
}

/// One seed's real value under each timeline named, and under command with targets reviewed.
type SeedValues = (Vec<f64>, f64);

/// Where the light drifts slowly, command falls furthest behind: a finer sweep of the light's
/// change than the crossover's, with the two levers that give direction alone and together, and
/// command where leadership reviews its targets every `mandate_period` ticks (`target_review`).
/// Real value over the last fifth, its mean over seeds against hands-off's, and the seeds (of 20)
/// where command delivers more than hands-off. Asserted, from 32 teams on: command is further
/// behind hands-off where the light drifts at 0.005 than where it is still and where it moves at
/// 0.08, and there the target and alignment orders together cost more than the two alone.
#[test]
fn where_the_light_drifts_slowly_command_falls_furthest_behind() {
    let (target, align) = (InterventionKind::Target, InterventionKind::EnforceAlignment);
    let both = "target and alignment";
    let extra: Vec<(&str, Vec<Entry>)> = vec![
        (target.label(), vec![standard_entry(target, 1000)]),
        (align.label(), vec![standard_entry(align, 1000)]),
        (both, vec![standard_entry(target, 1000), standard_entry(align, 1000)]),
    ];
    let names = ["hands-off", "command", "stewardship", target.label(), align.label(), both];
    let review = Params::default().mandate_period;
    println!(
        "six reports per manager, two ticks a hop: real value over the last fifth, mean of {SEEDS} seeds, against hands-off's"
    );
    println!(
        "{:>6} {:>7} | {:>14} {:>12} {:>12} {:>18} {:>21} | {:>25}",
        "teams", "change", "command", "stewardship", "target", "enforce alignment", both, "command, targets reviewed"
    );
    for teams in [32usize, 512] {
        let mut by_change = Vec::new();
        for change in DRIFT_SPEEDS {
            let sweep = Sweep { teams, span: 6, hop: 2, change, slow: 1, work_ceiling: Params::default().work_ceiling };
            let per_seed: Vec<SeedValues> = (1..=SEEDS)
                .into_par_iter()
                .map(|seed| {
                    let scene = sweep.forest_with(seed, &extra);
                    let reviewed = edited(&scene, |p| p.target_review = review);
                    (names.iter().map(|n| late_real(&scene, n, seed)).collect(), late_real(&reviewed, "command", seed))
                })
                .collect();
            let total = |pick: &dyn Fn(&SeedValues) -> f64| per_seed.iter().map(pick).sum::<f64>();
            let hands_off = total(&|r| r.0[0]);
            let gain = |pick: &dyn Fn(&SeedValues) -> f64| 100.0 * (total(pick) / hands_off - 1.0);
            let gains: Vec<f64> = (1..names.len()).map(|k| gain(&|r| r.0[k])).collect();
            let reviewed = gain(&|r| r.1);
            let ahead = per_seed.iter().filter(|r| r.0[1] > r.0[0]).count();
            let ahead_reviewed = per_seed.iter().filter(|r| r.1 > r.0[0]).count();
            println!(
                "{teams:>6} {change:>7} | {:>+9.1}% ({ahead:>2}) {:>+11.1}% {:>+11.1}% {:>+17.1}% {:>+20.1}% | {reviewed:>+19.1}% ({ahead_reviewed:>2})",
                gains[0], gains[1], gains[2], gains[3], gains[4]
            );
            by_change.push((change, gains));
        }
        let at = |change: f64| &by_change.iter().find(|(c, _)| *c == change).expect("swept").1;
        let (still, slow, fast) = (at(0.0), at(0.005), at(0.08));
        assert!(slow[0] < still[0] && slow[0] < fast[0], "{teams} teams, command: {by_change:?}");
        assert!(slow[4] < slow[2] + slow[3], "{teams} teams, target and alignment at 0.005: {slow:?}");
    }
}

/// Where light is shared by those working under it (`crowding` above 0), what becomes of both
/// verdicts and of moving people without limit: a reorganization of every team at full strength
/// every 10 ticks. Real value over the last fifth, its mean over seeds against hands-off's, and
/// the seeds where command is ahead of stewardship and of hands-off. Asserted: the more light is
/// shared, the less the many reorganizations gain, step by step.
#[test]
fn where_light_is_shared_moving_people_pays_less() {
    println!(
        "real value over the last fifth, mean of {SEEDS} seeds, against hands-off's; seeds where command is ahead"
    );
    for (file, ticks) in [("scenes/small-stable.ron", 800u64), ("scenes/large-changing.ron", 1000)] {
        let reorganizations: Vec<Entry> = (1..ticks / 10)
            .map(|k| Entry::Intervene {
                tick: 10 * k,
                kind: InterventionKind::Reorganize,
                strength: 1.0,
                duration: 0,
                on: Targets::All,
            })
            .collect();
        let mut gains = Vec::new();
        println!("{file}, {ticks} ticks:");
        println!(
            "{:>8} | {:>9} {:>12} {:>17} | {:>22} {:>20}",
            "crowding", "command", "stewardship", "reorganizations", "command > stewardship", "command > hands-off"
        );
        for crowding in [0.0, 0.1, 0.3, 1.0] {
            let mut scene = shipped(file);
            scene.params.crowding = crowding;
            let scene = with_standard(scene, ticks, &[("reorganizations", reorganizations.clone())]);
            let late = windows(&scene).late;
            let r = runs(&scene, &["hands-off", "command", "stewardship", "reorganizations"]);
            let total = |k: usize| r[k].iter().map(|rows| mean(rows, late, real)).sum::<f64>();
            let gain = |k: usize| 100.0 * (total(k) / total(0) - 1.0);
            println!(
                "{:>8} | {:>+8.1}% {:>+11.1}% {:>+16.1}% | {:>22} {:>20}",
                crowding,
                gain(1),
                gain(2),
                gain(3),
                ahead(&r[1], &r[2], late, real),
                ahead(&r[1], &r[0], late, real)
            );
            gains.push(gain(3));
        }
        if file.contains("small-stable") {
            assert!(gains.windows(2).all(|g| g[1] < g[0]), "many reorganizations by crowding: {gains:?}");
        }
    }
}

// ---- Figures docs/MODEL.md quotes from runs beyond the claims ----
//
// Run on demand: `cargo test --release --test claims figures_ -- --ignored --nocapture
// --test-threads=1`. Each prints, asserting nothing, so that every figure in MODEL.md has a
// command that measures it again.

/// A road made of standard entries of `kinds`.
fn road(name: &'static str, kinds: &[InterventionKind], ticks: u64) -> (&'static str, Vec<Entry>) {
    (name, kinds.iter().map(|&k| standard_entry(k, ticks)).collect())
}

/// The roads command's levers make when taken apart, for a run of `ticks` ticks.
fn levers(ticks: u64) -> Vec<(&'static str, Vec<Entry>)> {
    vec![
        road("mandate", &[Mandate], ticks),
        road("target", &[Target], ticks),
        road("enforce alignment", &[Align], ticks),
        road("reorganize", &[Reorg], ticks),
        road("the other three", &[Mandate, Target, Align], ticks),
    ]
}

/// Prints each road of `scene` (its standard timelines and `extra`) against hands-off: real value
/// over the early window and the last fifth (means over seeds, against hands-off's), the seeds
/// ahead of hands-off over the last fifth, and mean stress over the last fifth. Returns hands-off's
/// mean real value over the last fifth.
fn print_roads(label: &str, scene: Scene, extra: &[(&str, Vec<Entry>)]) -> f64 {
    let ticks = scene.ticks;
    let scene = with_standard(scene, ticks, extra);
    let w = windows(&scene);
    let mut names: Vec<&str> = STYLES.to_vec();
    names.extend(extra.iter().map(|(n, _)| *n));
    let r = runs(&scene, &names);
    let total = |k: usize, w: (usize, usize), pick: fn(&Metrics) -> f64| {
        r[k].iter().map(|rows| mean(rows, w, pick)).sum::<f64>()
    };
    println!(
        "{label} ({ticks} ticks, {SEEDS} seeds): hands-off delivers {:.1} a tick over the last fifth",
        total(0, w.late, real) / SEEDS as f64
    );
    for (k, name) in names.iter().enumerate().skip(1) {
        let gain = |w| 100.0 * (total(k, w, real) / total(0, w, real) - 1.0);
        println!(
            "  {name:<22} early {:+6.1}%  last fifth {:+6.1}%  ahead {:>2}/{SEEDS}  stress {:.2}",
            gain(w.early),
            gain(w.late),
            ahead(&r[k], &r[0], w.late, real),
            total(k, w.late, |m| m.stress) / SEEDS as f64
        );
    }
    total(0, w.late, real) / SEEDS as f64
}

/// What carries command in the small, stable forest, lever by lever, at the defaults and where a
/// key assumption is moved ("The honest claims" in docs/MODEL.md).
#[test]
#[ignore]
fn figures_small_stable_lever_by_lever() {
    let ticks = shipped("scenes/small-stable.ron").ticks;
    let with = |edit: &dyn Fn(&mut Params)| {
        let mut s = shipped("scenes/small-stable.ron");
        edit(&mut s.params);
        s
    };
    print_roads("small-stable", with(&|_| {}), &levers(ticks));
    print_roads(
        "small-stable, decisions' attention free",
        with(&|p| {
            p.directive_load = 0.0;
            p.relay_load = 0.0;
            p.monitor_load = 0.0;
            p.reorg_load = 0.0;
            p.onboarding = 0.0;
        }),
        &levers(ticks),
    );
    let work_load = Params::default().work_load * 1.3;
    print_roads("small-stable, work_load x1.3", with(&|p| p.work_load = work_load), &levers(ticks));
    let mut told = levers(ticks);
    told.push(road("push harder", &[Push], ticks));
    print_roads("small-stable, work_ceiling 0.7", with(&|p| p.work_ceiling = 0.7), &told);
    print_roads("small-stable, crowding 1", with(&|p| p.crowding = 1.0), &levers(ticks));
    let late_target =
        Entry::Intervene { tick: 200, kind: Target, strength: 0.3, duration: ticks - 200, on: Targets::All };
    print_roads(
        "small-stable, monitor_load 0",
        with(&|p| p.monitor_load = 0.0),
        &[road("target", &[Target], ticks), ("target set at tick 200", vec![late_target])],
    );
}

/// People who move on their own (`mobility`): both verdicts at three rates.
#[test]
#[ignore]
fn figures_where_people_move_on_their_own() {
    for mobility in [0.0, 0.0003, 0.001, 0.003] {
        let mut small = shipped("scenes/small-stable.ron");
        small.params.mobility = mobility;
        let ticks = small.ticks;
        let small = with_standard(small, ticks, &[]);
        let w = windows(&small);
        let r = runs(&small, &STYLES);
        let hands_off = r[0].iter().map(|rows| mean(rows, w.late, real)).sum::<f64>() / SEEDS as f64;
        let mut large = shipped("scenes/large-changing.ron");
        large.params.mobility = mobility;
        let ticks = large.ticks;
        let [value, _, _] = stewardship_ahead(&with_standard(large, ticks, &[]));
        println!(
            "mobility {mobility}: small-stable hands-off {hands_off:.1} a tick over the last fifth, command ahead of \
             hands-off in {} and of stewardship in {} of {SEEDS}; large-changing, stewardship ahead of command on \
             real value in {value}",
            ahead(&r[1], &r[0], w.late, real),
            ahead(&r[1], &r[2], w.late, real)
        );
    }
}

/// People who move on their own in the small, stable forest, at eleven rates from 0 to 0.005 a
/// tick: command and stewardship against hands-off, over the last fifth of the scene's 800 ticks
/// and over ticks 400–2,000 of runs whose standard timelines last 2,000 ticks.
#[test]
#[ignore]
fn figures_where_people_move_on_their_own_rate_by_rate() {
    for (ticks, window) in [(800u64, None), (2000, Some((400usize, 2000usize)))] {
        for mobility in [0.0, 0.0001, 0.0002, 0.0003, 0.0005, 0.0007, 0.001, 0.0015, 0.002, 0.003, 0.005] {
            let mut small = shipped("scenes/small-stable.ron");
            small.params.mobility = mobility;
            let small = with_standard(small, ticks, &[]);
            let w = window.unwrap_or(windows(&small).late);
            let r = runs(&small, &STYLES);
            let total = |k: usize| r[k].iter().map(|rows| mean(rows, w, real)).sum::<f64>();
            println!(
                "small-stable, mobility {mobility}, ticks {}-{}: hands-off {:.1} a tick; command {:+.1}% (ahead in {} of \
                 {SEEDS}), stewardship {:+.1}% (ahead in {}); command ahead of stewardship in {}",
                w.0,
                w.1,
                total(0) / SEEDS as f64,
                100.0 * (total(1) / total(0) - 1.0),
                ahead(&r[1], &r[0], w, real),
                100.0 * (total(2) / total(0) - 1.0),
                ahead(&r[2], &r[0], w, real),
                ahead(&r[1], &r[2], w, real)
            );
        }
    }
}

/// The large, changing forest: the reallocation where leadership sees every team in full,
/// looking at the light where light is shared, and how many people a reorganization moves.
#[test]
#[ignore]
fn figures_large_changing() {
    let file = "scenes/large-changing.ron";
    let ticks = shipped(file).ticks;
    let mut full = shipped(file);
    seeing_every_team_in_full(&mut full.params);
    let [value, vitality, trust] = stewardship_ahead(&with_standard(full.clone(), ticks, &[]));
    println!(
        "large-changing, every team seen in full: stewardship ahead of command on real value / vitality / trust in \
         {value} / {vitality} / {trust} of {SEEDS}"
    );
    print_roads("large-changing, every team seen in full", full, &[road("mandate", &[Mandate], ticks)]);
    let mut followed = shipped(file);
    followed.params.span_of_detail = 1e6;
    print_roads("large-changing, every team followed (blur kept)", followed, &[road("mandate", &[Mandate], ticks)]);
    let mut shared = shipped(file);
    shared.params.crowding = 1.0;
    print_roads(
        "large-changing, crowding 1",
        shared,
        &[road("let light in", &[InterventionKind::LetLightIn], ticks), road("create slack", &[Slack], ticks)],
    );
    // People a reorganization moves: every team's headcount after 700 ticks of command against
    // the same forest left alone (nobody else moves people).
    let scene = with_standard(shipped(file), 700, &[]);
    let command = scene.timeline(Some("command")).expect("timeline");
    let alone = scene.timeline(Some("hands-off")).expect("timeline");
    let moved: Vec<(usize, f64)> = (1..=SEEDS)
        .into_par_iter()
        .map(|seed| {
            let mut a = scene.forest(Some(seed)).expect("builds");
            let mut b = a.clone();
            for _ in 0..700 {
                understory::run::advance(&mut a, &command);
                understory::run::advance(&mut b, &alone);
            }
            let gained: Vec<f64> =
                a.trees.size.iter().zip(&b.trees.size).map(|(x, y)| x - y).filter(|d| *d > 1e-9).collect();
            (gained.len(), gained.iter().sum())
        })
        .collect();
    println!(
        "large-changing, command, 700 ticks: teams gaining people and people moved, by seed: {}",
        moved.iter().map(|(n, p)| format!("{n}:{p:.2}")).collect::<Vec<_>>().join(" ")
    );
}

/// The large, changing forest with looking at the light held equal, the lever that alone gains
/// about as much as stewardship's four: command with LetLightIn added against stewardship (which
/// has it), and command against stewardship without it. Real value, vitality and trust over the
/// last fifth at each run length the claim is measured at.
#[test]
#[ignore]
fn figures_large_changing_with_the_light_let_in_on_both_sides() {
    let base = shipped("scenes/large-changing.ron");
    for ticks in [1000u64, 1500, 2000] {
        let mut command_and_light = standard_timelines(ticks)["command"].clone();
        command_and_light.push(standard_entry(InterventionKind::LetLightIn, ticks));
        // The same less its target and alignment orders, the two levers that point trees somewhere.
        let mut pointing_left_out = command_and_light.clone();
        pointing_left_out
            .retain(|entry| !matches!(entry, Entry::Intervene { kind, .. } if matches!(kind, Target | Align)));
        let stewardship_without_light = stewardship_without(InterventionKind::LetLightIn, ticks);
        let scene = with_standard(
            base.clone(),
            ticks,
            &[
                ("command+light", command_and_light),
                ("stewardship without light", stewardship_without_light),
                ("command+light less target and alignment", pointing_left_out),
                ("light alone", vec![standard_entry(InterventionKind::LetLightIn, ticks)]),
            ],
        );
        let w = windows(&scene);
        let r = runs(
            &scene,
            &[
                "hands-off",
                "command",
                "stewardship",
                "command+light",
                "stewardship without light",
                "command+light less target and alignment",
                "light alone",
            ],
        );
        let level = |k: usize| r[k].iter().map(|x| mean(x, w.late, real)).sum::<f64>() / SEEDS as f64;
        let over = |k: usize| 100.0 * (level(k) / level(0) - 1.0);
        let counts = |a: usize, b: usize| [real, vitality, trust].map(|pick| ahead(&r[a], &r[b], w.late, pick));
        println!(
            "large-changing, {ticks} ticks, real value against hands-off: command {:+.1}%, stewardship {:+.1}%, \
             command + LetLightIn {:+.1}%, stewardship without LetLightIn {:+.1}%",
            over(1),
            over(2),
            over(3),
            over(4)
        );
        println!(
            "  stewardship ahead of command + LetLightIn on real value / vitality / trust: {:?}; stewardship without \
             LetLightIn ahead of command: {:?} (of {SEEDS})",
            counts(2, 3),
            counts(4, 1)
        );
        println!(
            "  command + LetLightIn less its target and alignment orders {:+.1}%, LetLightIn alone {:+.1}%; the first \
             ahead of command + LetLightIn on real value in {} and of stewardship in {} of {SEEDS}",
            over(5),
            over(6),
            counts(5, 3)[0],
            counts(5, 2)[0]
        );
    }
}

/// Where the light drifts slowly (32 teams, 0.005): the target and alignment orders together and
/// apart, with no tree changing where it works (`lean_rate` 0) and with decisions' attention free.
#[test]
#[ignore]
fn figures_target_and_alignment_where_the_light_drifts_slowly() {
    let sweep =
        Sweep { teams: 32, span: 6, hop: 2, change: 0.005, slow: 1, work_ceiling: Params::default().work_ceiling };
    let extra = [
        road("target", &[Target], 1000),
        road("enforce alignment", &[Align], 1000),
        road("both", &[Target, Align], 1000),
    ];
    type Edit = fn(&mut Params);
    let settings: [(&str, Edit); 3] = [
        ("at the defaults", |_| {}),
        ("lean_rate 0", |p| p.lean_rate = 0.0),
        ("decisions' attention free", decisions_attention_free),
    ];
    for (label, edit) in settings {
        let per_seed: Vec<[f64; 4]> = (1..=SEEDS)
            .into_par_iter()
            .map(|seed| {
                let mut scene = sweep.forest_with(seed, &extra).scene;
                edit(&mut scene.params);
                let scene = LoadedScene::from_source("<figure>", &to_ron(&scene).expect("writes")).expect("checks");
                let late = windows(&scene).late;
                ["hands-off", "target", "enforce alignment", "both"].map(|name| {
                    let t = scene.timeline(Some(name)).expect("timeline");
                    mean(&run(&scene, &t, seed, scene.scene.ticks, |_| {}).expect("runs").rows, late, real)
                })
            })
            .collect();
        let total = |k: usize| per_seed.iter().map(|r| r[k]).sum::<f64>();
        let gain = |k: usize| 100.0 * (total(k) / total(0) - 1.0);
        println!(
            "32 teams, light drifting at 0.005, {label}: target {:+.1}%, alignment {:+.1}%, both {:+.1}% of hands-off's real value over the last fifth",
            gain(1),
            gain(2),
            gain(3)
        );
    }
}

/// Why alignment orders cost more the larger the forest (`what_carries_command_where_the_light_is_still`:
/// −0.1%, −4.5% and −13.5% at 8, 32 and 512 teams). Where the light is still, at 32, 128 and 512
/// teams (six reports a manager, two ticks a hop): alignment alone against hands-off at the
/// defaults, with leadership seeing every team in full, with decisions' attention free, and both;
/// and, sampled every 10 ticks over the last fifth, how many teams stand within a tree's reach,
/// the light where the trees work, and, aligned and left alone, how often the team with the best
/// return within a tree's reach now is another team or not the one working in the brightest
/// light there, the light where it works against the brightest work there, and its return apart
/// from its light against the mean of those within reach. The orders rank by the picture, late
/// and summarised; these figures rank by the true return now.
#[test]
#[ignore]
fn figures_why_alignment_orders_cost_most_in_the_largest_forest() {
    type Edit = fn(&mut Params);
    let settings: [(&str, Edit); 4] = [
        ("at the defaults", |_| {}),
        ("seeing every team in full", seeing_every_team_in_full),
        ("decisions' attention free", decisions_attention_free),
        ("both", |p| {
            seeing_every_team_in_full(p);
            decisions_attention_free(p);
        }),
    ];
    for teams in [32usize, 128, 512] {
        let sweep =
            Sweep { teams, span: 6, hop: 2, change: 0.0, slow: 1, work_ceiling: Params::default().work_ceiling };
        for (k, (label, edit)) in settings.iter().enumerate() {
            let per_seed: Vec<[ReachLook; 2]> = (1..=SEEDS)
                .into_par_iter()
                .map(|seed| {
                    let scene = edited(&sweep.forest_with(seed, &[road("enforce alignment", &[Align], 1000)]), edit);
                    ["hands-off", "enforce alignment"].map(|name| look_within_reach(&scene, name, seed, k == 0))
                })
                .collect();
            let mean = |run: usize, part: fn(&ReachLook) -> f64| {
                per_seed.iter().map(|r| part(&r[run])).sum::<f64>() / SEEDS as f64
            };
            let ahead = per_seed.iter().filter(|r| r[1].value > r[0].value).count();
            print!(
                "{teams:3} teams, still light, {label}: alignment alone {:+.1}% of hands-off's real value over the last \
                 fifth (ahead in {ahead} of {SEEDS}); the trees work in light {:.3} ({:.3} left alone)",
                100.0 * (mean(1, |r| r.value) / mean(0, |r| r.value) - 1.0),
                mean(1, |r| r.light),
                mean(0, |r| r.light),
            );
            if k == 0 {
                print!(
                    "; {:.1} teams within a tree's reach (itself included); the best return within reach now is \
                     another team's in {:.1}% (left alone {:.1}%) and not the brightest-working team's in {:.1}% \
                     ({:.1}%), its work in light {:.3} ({:.3}) where the brightest work there is {:.3} ({:.3}), its \
                     return apart from light {:.3} ({:.3}) times the mean there",
                    mean(1, |r| r.within_reach),
                    100.0 * mean(1, |r| r.best_elsewhere),
                    100.0 * mean(0, |r| r.best_elsewhere),
                    100.0 * mean(1, |r| r.best_not_brightest),
                    100.0 * mean(0, |r| r.best_not_brightest),
                    mean(1, |r| r.best_light),
                    mean(0, |r| r.best_light),
                    mean(1, |r| r.brightest),
                    mean(0, |r| r.brightest),
                    mean(1, |r| r.best_rest),
                    mean(0, |r| r.best_rest),
                );
            }
            println!();
        }
    }
}

/// Decisions that point trees at work (targets and alignment orders) ranking it by the light the
/// reports state (`point_by_light` 1) instead of its return (0, the default). In the forests of
/// `what_carries_command_where_the_light_is_still` and `where_the_light_drifts_slowly_command_falls_furthest_behind`
/// (32 and 512 teams, the light still and changing at 0.005, 0.02 and 0.08): command,
/// stewardship, the target alone and alignment alone against hands-off, real value over the last
/// fifth, under each rule. In the shipped scenes with the light's rule: the large, changing
/// verdict (stewardship ahead of command on real value, vitality, trust) and alignment alone
/// against hands-off at 1,000, 1,500 and 2,000 ticks, and the small, stable claim's counts.
#[test]
#[ignore]
fn figures_decisions_pointing_by_the_light_the_reports_state() {
    let names = ["hands-off", "command", "stewardship", "target", "enforce alignment"];
    let extra = |ticks: u64| [road("target", &[Target], ticks), road("enforce alignment", &[Align], ticks)];
    for teams in [32usize, 512] {
        for change in [0.0, 0.005, 0.02, 0.08] {
            let sweep = Sweep { teams, span: 6, hop: 2, change, slow: 1, work_ceiling: Params::default().work_ceiling };
            let by = |rule: u32| {
                gains_on_the_first(&names, |seed| {
                    edited(&sweep.forest_with(seed, &extra(1000)), |p| p.point_by_light = rule)
                })
            };
            let (ret, light) = (by(0), by(1));
            println!(
                "{teams:3} teams, light change {change}: against hands-off, by return / by light: command {:+.1}% / \
                 {:+.1}%, stewardship {:+.1}% / {:+.1}%, target {:+.1}% / {:+.1}%, alignment {:+.1}% / {:+.1}%",
                ret[1], light[1], ret[2], light[2], ret[3], light[3], ret[4], light[4]
            );
        }
    }
    let mut large = shipped("scenes/large-changing.ron");
    large.params.point_by_light = 1;
    for ticks in [1000u64, 1500, 2000] {
        let scene = with_standard(large.clone(), ticks, &[road("enforce alignment", &[Align], ticks)]);
        let [value, vitality, trust] = stewardship_ahead(&scene);
        let w = windows(&scene);
        let r = runs(&scene, &["hands-off", "command", "stewardship", "enforce alignment"]);
        let level = |k: usize| r[k].iter().map(|x| mean(x, w.late, real)).sum::<f64>() / SEEDS as f64;
        println!(
            "large-changing by light, {ticks} ticks: command {:+.1}%, stewardship {:+.1}%, alignment alone {:+.1}% \
             against hands-off; stewardship ahead of command on real value / vitality / trust in {value} / \
             {vitality} / {trust} of {SEEDS}",
            100.0 * (level(1) / level(0) - 1.0),
            100.0 * (level(2) / level(0) - 1.0),
            100.0 * (level(3) / level(0) - 1.0)
        );
    }
    let mut small = shipped("scenes/small-stable.ron");
    small.params.point_by_light = 1;
    let ticks = small.ticks;
    let [early, late] = command_ahead(&with_standard(small, ticks, &[]));
    println!(
        "small-stable by light: command ahead of stewardship / hands-off in {} / {} (early), {} / {} (last fifth) of {SEEDS}",
        early[0], early[1], late[0], late[1]
    );
}

/// What [`figures_why_alignment_orders_cost_most_in_the_largest_forest`] measures of one run over
/// its last fifth: the forest's real value a tick and the mean light where its living trees work;
/// with `within_reach`, sampled every 10 ticks, for each living tree, the teams standing within
/// its reach (itself included), and of these the one whose return is best now (the true return,
/// not the late and summarised one in the picture that the orders rank by).
#[derive(Debug, Default, Clone, Copy)]
struct ReachLook {
    value: f64,
    light: f64,
    within_reach: f64,
    /// The share of trees for which that team is another.
    best_elsewhere: f64,
    /// The share of trees for which it is not the team working in the brightest light there.
    best_not_brightest: f64,
    /// The light where it works.
    best_light: f64,
    /// The brightest light where any of those teams works.
    brightest: f64,
    /// Its return apart from its light (return ÷ light) over the mean of those teams'.
    best_rest: f64,
}

fn look_within_reach(scene: &LoadedScene, timeline: &str, seed: u64, within_reach: bool) -> ReachLook {
    let t = scene.timeline(Some(timeline)).expect("timeline");
    let mut f = scene.forest(Some(seed)).expect("builds");
    let late = windows(scene).late;
    let mut look = ReachLook::default();
    let (mut ticks_seen, mut samples) = (0.0, 0.0);
    while (f.tick as usize) < late.1 {
        understory::run::advance(&mut f, &t);
        if f.tick as usize <= late.0 {
            continue;
        }
        let tr = &f.trees;
        let living: Vec<usize> = (0..tr.x.len()).filter(|&i| tr.alive[i]).collect();
        look.value += tr.value_real.iter().sum::<f64>();
        look.light += living.iter().map(|&i| tr.light[i]).sum::<f64>() / living.len() as f64;
        ticks_seen += 1.0;
        if within_reach && f.tick % 10 == 0 {
            let reach = f.params.reach;
            let rest = |j: usize| tr.yield_[j] / tr.light[j].max(1e-12);
            for &i in &living {
                let near: Vec<usize> = living
                    .iter()
                    .copied()
                    .filter(|&j| {
                        let apart = (tr.x[j] - tr.x[i]).rem_euclid(1.0);
                        apart.min(1.0 - apart) <= reach
                    })
                    .collect();
                let top = |by: &[f64]| near.iter().copied().max_by(|&a, &b| by[a].total_cmp(&by[b])).expect("itself");
                let (best, brightest) = (top(&tr.yield_), top(&tr.light));
                let n = near.len() as f64;
                look.within_reach += n;
                look.best_elsewhere += if best != i { 1.0 } else { 0.0 };
                look.best_not_brightest += if best != brightest { 1.0 } else { 0.0 };
                look.best_light += tr.light[best];
                look.brightest += tr.light[brightest];
                look.best_rest += rest(best) / (near.iter().map(|&j| rest(j)).sum::<f64>() / n);
                samples += 1.0;
            }
        }
    }
    look.value /= ticks_seen;
    look.light /= ticks_seen;
    if samples > 0.0 {
        for part in [
            &mut look.within_reach,
            &mut look.best_elsewhere,
            &mut look.best_not_brightest,
            &mut look.best_light,
            &mut look.brightest,
            &mut look.best_rest,
        ] {
            *part /= samples;
        }
    }
    look
}

/// Where budget above what a tree can hold spoils gradually (`spoilage_rate` below 1) instead of
/// all at once: the small, stable claim at its three run lengths, command against hands-off over
/// each 100 ticks of a 2,000-tick run, and the large, changing verdict. The default spoils it all
/// at once, which drives the small forest's own cycle (docs/MODEL.md).
#[test]
#[ignore]
fn figures_where_spoilage_is_gradual() {
    for rate in [1.0, 0.3, 0.1] {
        let spoiling = |mut scene: Scene| {
            scene.params.spoilage_rate = rate;
            scene
        };
        let small = spoiling(shipped("scenes/small-stable.ron"));
        let claim: Vec<String> = [400u64, 800, 1200]
            .iter()
            .map(|&ticks| {
                let [early, late] = command_ahead(&with_standard(small.clone(), ticks, &[]));
                format!("{ticks} ticks {} / {}; {} / {}", early[0], early[1], late[0], late[1])
            })
            .collect();
        println!(
            "spoilage_rate {rate}: small-stable, command ahead of stewardship / hands-off, early; last fifth: {}",
            claim.join(", ")
        );
        let long = with_standard(small, 2000, &[]);
        let r = runs(&long, &STYLES);
        let by_window: Vec<String> = (100..2000)
            .step_by(100)
            .map(|a| {
                let w = (a, a + 100);
                let total = |k: usize| r[k].iter().map(|rows| mean(rows, w, real)).sum::<f64>();
                format!("{a}: {:+.1}% ({})", 100.0 * (total(1) / total(0) - 1.0), ahead(&r[1], &r[0], w, real))
            })
            .collect();
        println!("  command against hands-off, each 100 ticks of 2,000 (seeds ahead): {}", by_window.join(", "));
        let spans: Vec<String> = [(400, 1200), (400, 2000), (1600, 2000)]
            .iter()
            .map(|&w| {
                let total = |k: usize| r[k].iter().map(|rows| mean(rows, w, real)).sum::<f64>();
                format!(
                    "ticks {}-{}: {} / {} ({:+.1}% of hands-off)",
                    w.0,
                    w.1,
                    ahead(&r[1], &r[2], w, real),
                    ahead(&r[1], &r[0], w, real),
                    100.0 * (total(1) / total(0) - 1.0)
                )
            })
            .collect();
        println!("  command ahead of stewardship / hands-off over long windows: {}", spans.join(", "));
        let large = spoiling(shipped("scenes/large-changing.ron"));
        let [value, vital, trust] = stewardship_ahead(&with_standard(large.clone(), large.ticks, &[]));
        println!("  large-changing, stewardship ahead of command: {value} / {vital} / {trust} of {SEEDS}");
    }
}

/// What following the light is worth, by how fast it changes: a forest left alone against the
/// same forest whose trees never move where they work (`lean_rate` 0), and each of pushing harder
/// and letting the light in alone against hands-off, in the crossover's generated forests (six
/// reports per manager, two ticks a hop), over the last fifth of 1,000 ticks, 20 seeds. Where
/// trees cannot follow the light, what adapts has nothing to gain and what adds effort does.
#[test]
#[ignore]
fn figures_what_following_the_light_is_worth_by_how_fast_it_changes() {
    use understory::model::InterventionKind::LetLightIn;
    let extra = [road("push harder", &[Push], 1000), road("let light in", &[LetLightIn], 1000)];
    for teams in [32usize, 512] {
        for change in DRIFT_SPEEDS {
            let sweep = Sweep { teams, span: 6, hop: 2, change, slow: 1, work_ceiling: Params::default().work_ceiling };
            let per_seed: Vec<[f64; 4]> = (1..=SEEDS)
                .into_par_iter()
                .map(|seed| {
                    let scene = sweep.forest_with(seed, &extra);
                    let still = edited(&scene, |p| p.lean_rate = 0.0);
                    [
                        late_real(&scene, "hands-off", seed),
                        late_real(&still, "hands-off", seed),
                        late_real(&scene, "push harder", seed),
                        late_real(&scene, "let light in", seed),
                    ]
                })
                .collect();
            let total = |k: usize| per_seed.iter().map(|r| r[k]).sum::<f64>();
            let over = |k: usize, of: usize| 100.0 * (total(k) / total(of) - 1.0);
            println!(
                "{teams} teams, light changing at {change}: left alone {:+.1}% against trees that never move; against hands-off, push harder {:+.1}%, let light in {:+.1}%",
                over(0, 1),
                over(2, 0),
                over(3, 0)
            );
        }
    }
}

/// Hop delay against depth beyond the crossover's table: where the light is still and where it
/// changes at 0.01, 0.02 and 0.04, command's and the alignment order's real value against hands-off's at one to 32 ticks
/// a hop, and the seeds where command gains less over hands-off at sixteen ticks than at one.
#[test]
#[ignore]
fn figures_hop_delay_by_depth() {
    let align = [road("enforce alignment", &[Align], 1000)];
    let hops = [1u32, 4, 16, 32];
    for change in [0.0, 0.01, 0.02, 0.04] {
        for (depth, span) in [(1usize, 63usize), (2, 8), (3, 4), (6, 2)] {
            // Per hop delay, per seed: hands-off, command, alignment alone.
            let by_hop: Vec<Vec<[f64; 3]>> = hops
                .iter()
                .map(|&hop| {
                    let sweep =
                        Sweep { teams: 64, span, hop, change, slow: 1, work_ceiling: Params::default().work_ceiling };
                    (1..=SEEDS)
                        .into_par_iter()
                        .map(|seed| {
                            let scene = sweep.forest_with(seed, &align);
                            let late = windows(&scene).late;
                            ["hands-off", "command", "enforce alignment"].map(|name| {
                                let t = scene.timeline(Some(name)).expect("timeline");
                                mean(&run(&scene, &t, seed, scene.scene.ticks, |_| {}).expect("runs").rows, late, real)
                            })
                        })
                        .collect()
                })
                .collect();
            let gain = |seeds: &[[f64; 3]], k: usize| {
                100.0 * (seeds.iter().map(|r| r[k]).sum::<f64>() / seeds.iter().map(|r| r[0]).sum::<f64>() - 1.0)
            };
            let lower_at_16 =
                by_hop[2].iter().zip(&by_hop[0]).filter(|(slow, fast)| slow[1] / slow[0] < fast[1] / fast[0]).count();
            println!(
                "change {change}, depth {depth}, hops {hops:?}: command {} and alignment alone {} against hands-off; \
                 command's gain lower at 16 ticks a hop than at 1 in {lower_at_16} of {SEEDS} seeds",
                by_hop.iter().map(|s| format!("{:+.1}%", gain(s, 1))).collect::<Vec<_>>().join(", "),
                by_hop.iter().map(|s| format!("{:+.1}%", gain(s, 2))).collect::<Vec<_>>().join(", "),
            );
        }
    }
}

/// Moving people without limit: a reorganization of every team at full strength every 10 ticks
/// in the small, stable forest, over 1,000 ticks.
#[test]
#[ignore]
fn figures_many_reorganizations() {
    let ticks = 1000;
    let many: Vec<Entry> = (1..100)
        .map(|k| Entry::Intervene { tick: 10 * k, kind: Reorg, strength: 1.0, duration: 0, on: Targets::All })
        .collect();
    let mut scene = shipped("scenes/small-stable.ron");
    scene.ticks = ticks;
    print_roads("small-stable, 99 reorganizations", scene.clone(), &[("99 reorganizations", many.clone())]);
    let loaded = with_standard(scene, ticks, &[("99 reorganizations", many)]);
    let late = windows(&loaded).late;
    let r = runs(&loaded, &["99 reorganizations"]);
    let overloaded = r[0].iter().map(|rows| mean(rows, late, |m| m.overload_share)).sum::<f64>() / SEEDS as f64;
    println!("  teams overloaded over the last fifth under the 99 reorganizations: {:.0}%", 100.0 * overloaded);
}

/// Where reports are as noisy as what trees tell their neighbours (`report_noise` 1): both
/// verdicts at three run lengths, and who wins by size and the light's change.
#[test]
#[ignore]
fn figures_where_reports_are_as_noisy_as_signals() {
    let noisy = |mut scene: Scene, ticks: u64| {
        scene.params.report_noise = 1.0;
        with_standard(scene, ticks, &[])
    };
    for ticks in [1000, 1500, 2000] {
        let [value, vitality, trust] = stewardship_ahead(&noisy(shipped("scenes/large-changing.ron"), ticks));
        println!(
            "report_noise 1, large-changing, {ticks} ticks: stewardship ahead of command on real value / vitality / \
             trust in {value} / {vitality} / {trust} of {SEEDS}"
        );
    }
    for ticks in [400, 800, 1200] {
        let [early, late] = command_ahead(&noisy(shipped("scenes/small-stable.ron"), ticks));
        println!(
            "report_noise 1, small-stable, {ticks} ticks: command ahead of stewardship / hands-off: early {} / {}, \
             last fifth {} / {}",
            early[0], early[1], late[0], late[1]
        );
    }
    let base = Sweep { teams: 8, span: 6, hop: 2, change: 0.0, slow: 1, work_ceiling: Params::default().work_ceiling };
    let changes = [0.0, 0.02, 0.08];
    let columns = changes.map(|c| format!("change {c}"));
    println!("report_noise 1, crossover (as in the claims):");
    print_wins_table("teams", &columns, &labelled(&[8usize, 32, 128, 512]), |&teams, j| {
        command_wins(|seed| {
            let scene = Sweep { teams, change: changes[j], ..base }.forest(seed).scene;
            noisy(scene, 1000)
        })
    });
}
