//! Validation in the tradition of Forrester and Senge (1980) and Sterman (Business Dynamics,
//! ch. 21): structure, extreme conditions, behaviour reproduction of the laws' signatures,
//! family member and the ledger, and the laws' signatures with key parameters moved ±30%. The
//! claims and their sensitivity are in `claims.rs`. Run with `--nocapture` to see the
//! measurements.

mod common;

use common::SENSITIVE;
use rayon::prelude::*;
use understory::model::{
    Forest, Intervention, InterventionKind, LightConfig, LinkInit, Metrics, NONE, Params, Selection, TeamInit,
};
use understory::run::run;
use understory::scene::{LoadedScene, generate, standard_timelines, to_ron};

const SEEDS: u64 = 20;

fn finite(m: &Metrics) -> bool {
    [
        m.vitality,
        m.value_real,
        m.value_reported,
        m.litter,
        m.recycled_share,
        m.trust,
        m.alignment,
        m.feedback_delay,
        m.overload_share,
        m.inequality,
        m.biomass,
        m.energy,
        m.nutrients,
        m.stress,
        m.ledger_residual,
    ]
    .iter()
    .all(|v| v.is_finite())
}

/// A generated forest of `teams` teams with the standard timelines, edited by `edit`.
fn generated(teams: usize, seed: u64, edit: impl FnOnce(&mut understory::scene::Scene)) -> LoadedScene {
    let mut scene = generate(teams, teams * 5 / 2, seed).expect("generates");
    scene.ticks = 800;
    scene.timelines = standard_timelines(scene.ticks);
    edit(&mut scene);
    LoadedScene::from_source("<generated>", &to_ron(&scene).expect("writes")).expect("checks")
}

fn rows(scene: &LoadedScene, timeline: &str, seed: u64) -> Vec<Metrics> {
    let t = scene.timeline(Some(timeline)).expect("timeline");
    run(scene, &t, seed, scene.scene.ticks, |_| {}).expect("runs").rows
}

const TIMELINES: [&str; 3] = ["hands-off", "command", "stewardship"];

// ---- Structure ----

/// The rule by which trust moves, and the judgements trees make of what reaches them, cannot
/// see who decided: the files that hold them never name an intervention's kind or style.
#[test]
fn the_trust_rule_and_the_judgements_cannot_see_who_decided() {
    for file in ["trust.rs", "practice.rs", "network.rs", "energy.rs", "attention.rs", "lean.rs", "soil.rs"] {
        let text = std::fs::read_to_string(format!("src/model/tick/{file}")).expect("reads");
        for word in ["InterventionKind", "Style", "Command", "Condition", "Mandate", "Stewardship"] {
            assert!(!text.contains(word), "src/model/tick/{file} names `{word}`");
        }
    }
}

// ---- Extreme conditions ----

#[test]
fn with_no_light_the_forest_declines_gracefully_and_never_shows_nan() {
    let scene = generated(40, 1, |s| {
        s.light = LightConfig { ambient: 0.0, patches: 0, ..Default::default() };
    });
    for timeline in TIMELINES {
        let r = rows(&scene, timeline, 1);
        assert!(r.iter().all(finite), "{timeline}: a metric is not finite");
        assert_eq!(r.iter().map(|m| m.value_real).sum::<f64>(), 0.0, "{timeline}: value without light");
        // Wood only ever falls: turnover, upkeep, starvation; none is gained.
        assert!(r.windows(2).all(|w| w[1].biomass <= w[0].biomass + 1e-9), "{timeline}: wood grew without light");
        assert!(r.last().expect("rows").biomass < 0.5 * r[0].biomass, "{timeline}: it does decline");
    }
}

#[test]
fn with_unlimited_attention_nothing_is_ever_overloaded() {
    let scene = generated(40, 2, |s| s.params.attention_per_person = 1e5);
    for timeline in TIMELINES {
        let r = rows(&scene, timeline, 2);
        assert!(r.iter().all(|m| m.overload_share == 0.0 && m.stress == 0.0), "{timeline}: overload");
    }
}

#[test]
fn with_no_links_nothing_is_shared() {
    let mut teams = vec![TeamInit { name: "lead".into(), x: 0.5, size: 6.0, parent: NONE, biomass: 6.0, energy: None }];
    for i in 0..10 {
        teams.push(TeamInit {
            name: format!("t{i}"),
            x: i as f64 / 10.0,
            size: 6.0,
            parent: 0,
            biomass: 6.0,
            energy: None,
        });
    }
    let mut f = Forest::new(teams, Vec::new(), Params::default(), LightConfig::default(), 3).expect("valid");
    f.intervene(Intervention {
        kind: InterventionKind::OpenFeedback,
        strength: 1.0,
        duration: 500,
        on: Selection::All,
    });
    for _ in 0..500 {
        f.step();
        assert!(f.trees.inflow.iter().chain(&f.trees.outflow).all(|&v| v == 0.0));
        assert!(finite(&f.metrics));
    }
}

#[test]
fn a_forest_of_one_lives_under_every_intervention() {
    let teams = vec![TeamInit { name: "alone".into(), x: 0.5, size: 5.0, parent: NONE, biomass: 5.0, energy: None }];
    let mut f = Forest::new(teams, Vec::new(), Params::default(), LightConfig::default(), 4).expect("valid");
    for (k, kind) in InterventionKind::ALL.into_iter().enumerate() {
        f.intervene(Intervention { kind, strength: 0.5, duration: 50, on: Selection::All });
        for _ in 0..(20 + k) {
            f.step();
            assert!(finite(&f.metrics) && f.ledger.balances(), "{kind:?}");
        }
    }
}

/// Initial conditions: a new forest starts as one its own rules could have produced, with the
/// work of the ticks before the run under way, so nothing left alone dips at the start. (Begun
/// with nothing under way, the default scene's real value was 0 for `delivery` ticks and then
/// fell to an eighth of its first level at tick 16.)
#[test]
fn left_alone_a_new_forest_delivers_from_its_first_tick_and_does_not_dip() {
    let mut files: Vec<_> = std::fs::read_dir("scenes")
        .expect("scenes")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    for file in files {
        let scene = LoadedScene::from_path(&file).expect("shipped scene loads");
        let worst = (1..=SEEDS)
            .into_par_iter()
            .map(|seed| {
                let mut f = scene.forest(Some(seed)).expect("builds");
                let delivery = f.params.delivery as usize;
                let mut values = Vec::new();
                for _ in 0..4 * delivery {
                    f.step();
                    values.push(f.metrics.value_real);
                }
                assert!(values[0] > 0.0, "{}, seed {seed}: no value at the first tick", file.display());
                values.iter().fold(f64::INFINITY, |a, &v| a.min(v)) / values[0]
            })
            .reduce(|| f64::INFINITY, f64::min);
        println!(
            "{}: lowest real value in the first 4 x delivery ticks, against the first tick's: {worst:.3}",
            file.display()
        );
        assert!(worst > 0.99, "{}: real value dips to {worst:.3} of its first tick's", file.display());
    }
}

#[test]
fn with_the_shortest_delays_a_step_in_the_light_does_not_set_the_forest_swinging() {
    let light = one_still_patch_at_0_2();
    let mut f = row(30, 1, Params { hop_delay: 1, ..Default::default() }, light, 5);
    for _ in 0..400 {
        f.step();
    }
    f.light.patches[0].center = 0.7;
    let captured: Vec<f64> = (0..800)
        .map(|_| {
            f.step();
            f.trees.light.iter().sum::<f64>()
        })
        .collect();
    assert!(
        crossings(&captured) <= 1,
        "light captured after a step crosses its final level {} times",
        crossings(&captured)
    );
}

// ---- Behaviour reproduction: the laws' signatures ----

/// Law 2: tradeoffs. The ledger closes every tick with every intervention and shock, on
/// forests of every shape here (the long run is in `ledger.rs`).
#[test]
fn law_2_every_benefit_is_paid_for_the_ledger_is_exact() {
    let scene = generated(60, 6, |_| {});
    let mut f = scene.forest(None).expect("builds");
    for (k, kind) in InterventionKind::ALL.into_iter().enumerate() {
        f.intervene(Intervention { kind, strength: 0.5, duration: 200, on: Selection::All });
        for _ in 0..(40 + k) {
            f.step();
            assert!(f.ledger.balances(), "{kind:?}: {:?}", f.ledger);
        }
    }
}

/// Law 3: incentives shape behaviour. A target makes a tree report what its measure counts;
/// where the light then moves away from what was measured, the tree's real value falls behind
/// what it reports. (Where the light moves toward it, the measure undercounts: a measure
/// tracks real value only as far as the light stays where it was measured.)
#[test]
fn law_3_where_the_light_moves_away_from_the_measure_real_value_falls_behind_reported() {
    let (still, moved, behind) = law_3_over_seeds(&Params::default());
    println!(
        "law 3: reported / real under a target: {still:.3} in still light; {moved:.3} after the light moved, where it \
         moved away; further behind in {behind} of {SEEDS} seeds"
    );
    assert!(behind >= 18, "where the light moved away, real value falls behind reported ({behind}/{SEEDS})");
}

/// Law 3 with each key parameter moved by ±30%, one at a time (the claims' sweep).
#[test]
fn law_3_holds_with_each_key_parameter_moved() {
    println!("law 3, {SEEDS} seeds: reported / real in still light, after the light moved away, seeds further behind");
    for field in SENSITIVE {
        for factor in [0.7, 1.3] {
            let (still, moved, behind) = law_3_over_seeds(&common::moved(&Params::default(), field, factor));
            println!("  {:24} {still:.3} {moved:.3} {behind:>3}", format!("{field} x{factor}"));
            assert!(behind >= 18, "{field} x{factor}: real value falls behind reported in {behind}/{SEEDS}");
        }
    }
}

/// [`law_3_reported_over_real`] over the seeds: its two ratios' means, and the seeds in which the
/// second is more than 0.05 above the first (real value further behind reported).
fn law_3_over_seeds(params: &Params) -> (f64, f64, usize) {
    let r: Vec<(f64, f64)> = (1..=SEEDS).into_par_iter().map(|seed| law_3_reported_over_real(params, seed)).collect();
    let behind = r.iter().filter(|(before, after)| *after > before + 0.05).count();
    let mean = |k: fn(&(f64, f64)) -> f64| r.iter().map(k).sum::<f64>() / r.len() as f64;
    (mean(|x| x.0), mean(|x| x.1), behind)
}

/// Under a target at 0.5 in a still light, reported ÷ real value of a generated forest of 60
/// teams at tick 400; then, over the 200 ticks after the light moves, among the trees it moved
/// away from (their light below 0.8 of what their measure counts).
fn law_3_reported_over_real(params: &Params, seed: u64) -> (f64, f64) {
    let mut f = generated(60, seed, |s| s.params = params.clone()).forest(Some(seed)).expect("builds");
    f.light.config.drift = 0.0;
    f.light.config.change = 0.0;
    f.light.config.jump = 0.0;
    f.intervene(Intervention { kind: InterventionKind::Target, strength: 0.5, duration: 10_000, on: Selection::All });
    for _ in 0..400 {
        f.step();
    }
    let before = f.metrics.value_reported / f.metrics.value_real;
    f.intervene(Intervention { kind: InterventionKind::LightShift, strength: 0.5, duration: 0, on: Selection::All });
    let (mut reported, mut real) = (0.0, 0.0);
    for _ in 0..200 {
        f.step();
        let t = &f.trees;
        for i in (0..f.team_count()).filter(|&i| t.alive[i] && t.light[i] < 0.8 * t.target_light[i]) {
            reported += t.value_reported[i];
            real += t.value_real[i];
        }
    }
    (before, reported / real)
}

/// Law 5: attention is limited. Piling two directives with reallocations and alignment orders
/// lowers real value on average, and below what the four do apart, summed, in the default forest
/// and in one whose teams take on less work unasked (`work_ceiling` 0.7). Only in the second do the two
/// directives each help alone: in the default forest a target alone does not; alignment orders
/// alone lose in both (docs/MODEL.md, "Validation"). Levers that each help alone, piled: the next
/// test.
#[test]
fn law_5_piling_four_directives_lowers_real_value_below_what_they_do_apart() {
    for work_ceiling in [Params::default().work_ceiling, 0.7] {
        let [push, target, mandate, align, piled] = piled_directives(work_ceiling);
        let mean = |v: &[f64]| 100.0 * v.iter().sum::<f64>() / v.len() as f64;
        let apart = mean(&push) + mean(&target) + mean(&mandate) + mean(&align);
        println!(
            "law 5, work_ceiling {work_ceiling}: real value against none, {SEEDS} seeds: push harder {:+.1}%, target \
             {:+.1}%, reallocation {:+.1}%, alignment orders {:+.1}% (summed {apart:+.1}%); all four piled {:+.1}% \
             (piled below none in {} seeds)",
            mean(&push),
            mean(&target),
            mean(&mandate),
            mean(&align),
            mean(&piled),
            piled.iter().filter(|&&g| g < 0.0).count()
        );
        assert!(mean(&piled) < 0.0, "piled, they lower real value");
        assert!(mean(&piled) < apart, "piled, they do worse than apart");
        // In most seeds in the default forest (20 of 20); where teams wait to be told, in about
        // half (docs/MODEL.md).
        let below = piled.iter().filter(|&&g| g < 0.0).count();
        assert!(below >= if work_ceiling < 0.9 { 8 } else { 15 }, "piled below none in {below} seeds");
        let each_helps = mean(&push) > 0.0 && mean(&target) > 0.0;
        assert_eq!(
            each_helps,
            work_ceiling < 0.9,
            "the two directives each help alone only where teams wait to be told"
        );
    }
}

/// For each seed, real value over 400 ticks against none of pushing harder, a target, a
/// reallocation and alignment orders, each alone, and the four piled, in a generated forest of 64
/// teams after 300 ticks.
fn piled_directives(work_ceiling: f64) -> [Vec<f64>; 5] {
    use InterventionKind::*;
    let piles: [&[InterventionKind]; 5] =
        [&[PushHarder], &[Target], &[Mandate], &[EnforceAlignment], &[PushHarder, Target, Mandate, EnforceAlignment]];
    let params = Params { work_ceiling, ..Default::default() };
    piles.map(|pile| (1..=SEEDS).into_par_iter().map(|seed| pile_against_none(pile, &params, seed).gain).collect())
}

/// What a pile of levers did over 400 ticks against none, in one seed.
struct PileOutcome {
    /// Real value with the pile against none, less 1.
    gain: f64,
    /// Mean stress over the trees and ticks, with the pile and with none.
    stress: [f64; 2],
}

/// The levers of `pile`, each at strength 0.3, taken at tick 300 and standing for 400 ticks, in
/// a generated forest of 64 teams under `params` whose light drifts and changes, against the same
/// forest with none (same seed).
fn pile_against_none(pile: &[InterventionKind], params: &Params, seed: u64) -> PileOutcome {
    let mut base = generated(64, seed, |s| {
        s.light = LightConfig { drift: 0.002, change: 0.02, jump: 0.002, ..Default::default() };
        s.params = params.clone();
    })
    .forest(Some(seed))
    .expect("builds");
    for _ in 0..300 {
        base.step();
    }
    let mut with = base.clone();
    for &kind in pile {
        with.intervene(Intervention { kind, strength: 0.3, duration: 10_000, on: Selection::All });
    }
    let (mut a, mut b) = (0.0, 0.0);
    let mut stress = [0.0; 2];
    for _ in 0..400 {
        base.step();
        with.step();
        a += base.metrics.value_real;
        b += with.metrics.value_real;
        stress[0] += with.metrics.stress / 400.0;
        stress[1] += base.metrics.stress / 400.0;
    }
    PileOutcome { gain: b / a - 1.0, stress }
}

/// Law 5 by a rule rather than a chosen pile: every lever (command or condition) whose mean gain
/// alone over the seeds is above 0 in the forest of the Law 5 test, piled, against none; and the
/// same pile with every decision's and practice's attention free, which tells how much of what
/// piling costs is attention. At the defaults, at `work_ceiling` 0.7, and in a forest loaded with
/// routine work (`work_load` ×1.3). The signature does not show this way (docs/MODEL.md,
/// "Validation"): the test pins that, so that a change which makes such a pile lose is seen, and
/// asserts that the pile's attention is felt (stress rises) and costs (free, it gains more).
#[test]
fn law_5_by_rule_levers_that_each_help_alone_still_help_piled() {
    let default = Params::default();
    let settings = [
        ("the defaults".to_string(), default.clone()),
        ("work_ceiling 0.7".to_string(), Params { work_ceiling: 0.7, ..default.clone() }),
        (
            format!("a loaded forest, work_load {:.3}", 1.3 * default.work_load),
            Params { work_load: 1.3 * default.work_load, ..default.clone() },
        ),
    ];
    for (setting, params) in settings {
        println!("law 5, {setting}: each lever alone against none ({SEEDS} seeds, 400 ticks after 300):");
        let pile = pile_of_every_lever_that_helps_alone(&params, true);
        assert!(
            pile.gain > 0.0 && pile.below <= 3,
            "{setting}: levers that each help alone now lose piled; see docs/MODEL.md"
        );
        assert!(pile.stress > pile.stress_none, "{setting}: the pile's attention is felt");
        assert!(pile.free_gain > pile.gain, "{setting}: the pile's attention costs");
    }
}

/// Law 5 by rule with each key parameter moved by ±30%, one at a time: where levers that each help
/// alone lose piled.
#[test]
#[ignore]
fn figures_law_5_by_rule_with_each_key_parameter_moved() {
    println!(
        "law 5 by rule, {SEEDS} seeds: levers that help alone, their gains summed, piled, seeds below none, piled with attention free"
    );
    for field in SENSITIVE {
        for factor in [0.7, 1.3] {
            let params = common::moved(&Params::default(), field, factor);
            let pile = pile_of_every_lever_that_helps_alone(&params, false);
            println!(
                "  {:24} {:>2} {:+6.1}% {:+6.1}% {:>3} {:+6.1}%",
                format!("{field} x{factor}"),
                pile.levers,
                pile.summed,
                pile.gain,
                pile.below,
                pile.free_gain
            );
        }
    }
}

/// Law 5 by rule in forests loaded beyond the sweep, stressed even left alone: routine work taking
/// 0.8, 0.9 and all of each person's attention.
#[test]
#[ignore]
fn figures_law_5_by_rule_in_forests_loaded_further() {
    for work_load in [0.8, 0.9, 1.0] {
        println!("law 5, work_load {work_load}: each lever alone against none ({SEEDS} seeds, 400 ticks after 300):");
        pile_of_every_lever_that_helps_alone(&Params { work_load, ..Default::default() }, true);
    }
}

/// What the rule's pile did: how many levers it held, their mean gains alone summed, and, piled,
/// the mean gain, the seeds below none, the mean stress with it and with none, and the mean gain
/// with every decision's and practice's attention free (percentages).
struct RulePile {
    levers: usize,
    summed: f64,
    gain: f64,
    below: usize,
    stress: f64,
    stress_none: f64,
    free_gain: f64,
}

/// Every lever whose mean gain alone is above 0 under `costly`, piled, as the defaults cost their
/// attention and with it free; printing each lever alone and each pile where `loud`.
fn pile_of_every_lever_that_helps_alone(costly: &Params, loud: bool) -> RulePile {
    let mean = |v: &[f64]| 100.0 * v.iter().sum::<f64>() / v.len() as f64;
    let levers: Vec<InterventionKind> =
        InterventionKind::ALL.into_iter().filter(|k| k.style() != understory::model::Style::Shock).collect();
    let free = Params {
        directive_load: 0.0,
        relay_load: 0.0,
        reorg_load: 0.0,
        onboarding: 0.0,
        monitor_load: 0.0,
        open_load: 0.0,
        sense_load: 0.0,
        clarify_load: 0.0,
        soil_load: 0.0,
        ..costly.clone()
    };
    let mut helping = Vec::new();
    let mut summed = 0.0;
    for &kind in &levers {
        let gains: Vec<f64> =
            (1..=SEEDS).into_par_iter().map(|seed| pile_against_none(&[kind], costly, seed).gain).collect();
        if loud {
            let ahead = gains.iter().filter(|&&g| g > 0.0).count();
            println!("  {kind:?}: {:+.1}% (ahead in {ahead})", mean(&gains));
        }
        if mean(&gains) > 0.0 {
            helping.push(kind);
            summed += mean(&gains);
        }
    }
    if loud {
        println!("  piled: {helping:?}, their gains alone summed {summed:+.1}%");
    }
    // The pile under `params`: its mean gain, the seeds below none, and mean stress with it and none.
    let piled = |what: &str, params: &Params| {
        let outcomes: Vec<PileOutcome> =
            (1..=SEEDS).into_par_iter().map(|seed| pile_against_none(&helping, params, seed)).collect();
        let gains: Vec<f64> = outcomes.iter().map(|o| o.gain).collect();
        let below = gains.iter().filter(|&&g| g < 0.0).count();
        let stress = outcomes.iter().map(|o| o.stress[0]).sum::<f64>() / SEEDS as f64;
        let stress_none = outcomes.iter().map(|o| o.stress[1]).sum::<f64>() / SEEDS as f64;
        if loud {
            println!(
                "  the {} that help alone, piled, {what}: {:+.1}% (below none in {below} seeds); mean stress {stress:.3} \
                 against {stress_none:.3} with none",
                helping.len(),
                mean(&gains),
            );
        }
        (mean(&gains), below, stress, stress_none)
    };
    let (gain, below, stress, stress_none) = piled("attention as the defaults cost it", costly);
    let (free_gain, ..) = piled("every decision's and practice's attention free", &free);
    RulePile { levers: helping.len(), summed, gain, below, stress, stress_none, free_gain }
}

/// Law 4: feedback takes time. A forest that reallocates on reports that climb the hierarchy
/// decides by what the light was after it moved, for as long as its reports are late. Measured:
/// how much of the reallocated budget lands where work now pays less than the forest's mean, and
/// how often the budget at the new light swings across its final level. Neither grows with the
/// delay here (docs/MODEL.md reports it as a claim that fails): the reallocation sends budget to
/// where return on effort is highest, which in this model is mostly small teams with room to
/// grow, wherever the light is; a tree's budget has a ceiling (`storage`) and the givers'
/// surplus runs out, so what is sent late spoils or stops instead of swinging back. Printed, not
/// held (where nothing moves, none of it is misdirected).
#[test]
fn law_4_decisions_on_late_reports_reallocate_by_what_the_light_was() {
    let light = one_still_patch_at_0_2();
    let measure = |hop: u32, seed: u64| {
        let mut f = row(30, 1, Params { hop_delay: hop, ..Default::default() }, light.clone(), seed);
        reallocate_for_good(&mut f);
        for _ in 0..400 {
            f.step();
        }
        f.light.patches[0].center = 0.7;
        let new_light: Vec<usize> = (1..=30).filter(|&i| (f.trees.x[i] - 0.7).abs() < 0.1).collect();
        let (mut misdirected, mut sent, mut at_new) = (0.0, 0.0, Vec::new());
        for _ in 0..600 {
            f.step();
            let mean_return = (1..=30).map(|i| f.trees.yield_[i]).sum::<f64>() / 30.0;
            for i in 1..=30 {
                let received = f.trees.mandated[i].max(0.0);
                sent += received;
                if f.trees.yield_[i] < mean_return {
                    misdirected += received;
                }
            }
            at_new.push(new_light.iter().map(|&i| f.trees.energy[i]).sum::<f64>());
        }
        let wood: f64 = new_light.iter().map(|&i| f.trees.biomass[i]).sum();
        (if sent > 0.0 { misdirected / sent } else { 0.0 }, crossings(&at_new), sent, wood)
    };
    let hops = [1u32, 4, 16];
    let results: Vec<Vec<(f64, usize, f64, f64)>> =
        hops.iter().map(|&hop| (1..=SEEDS).into_par_iter().map(|seed| measure(hop, seed)).collect()).collect();
    let mean_misdirected: Vec<f64> =
        results.iter().map(|r| r.iter().map(|x| x.0).sum::<f64>() / r.len() as f64).collect();
    for (k, hop) in hops.iter().enumerate() {
        let per_seed =
            |pick: fn(&(f64, usize, f64, f64)) -> f64| results[k].iter().map(pick).sum::<f64>() / SEEDS as f64;
        println!(
            "law 4: hop delay {hop:2}: {:.1}% of reallocated budget lands where work now pays less than the mean; \
             budget at the new light crosses its final level {:.1} times; {:.1} units reallocated in 600 ticks, \
             against {:.0} units of wood at the new light",
            100.0 * mean_misdirected[k],
            per_seed(|x| x.1 as f64),
            per_seed(|x| x.2),
            per_seed(|x| x.3)
        );
    }
    assert!(results.iter().all(|r| r.iter().all(|x| x.0.is_finite())), "every measure is finite");
}

/// Law 4 as stock management: a tree decides how much to grow from the budget on hand, not
/// counting the value of the work still under way (`delivery` ticks of it: the supply line the
/// Beer Game's players neglect, Sterman 1989). After the light moves, the wood at the new light,
/// against the same forest where it did not move (same seed), first overshoots where it settles
/// and then swings about it. Printed for several delivery times.
#[test]
fn law_4_after_the_light_moves_wood_grown_on_budget_that_ignores_work_under_way_swings() {
    let per_seed = swings_by_delivery(RowShape::Even, &Params::default());
    let mean = |k: usize, part: usize| mean_over_seeds(&per_seed[k], part);
    for (k, d) in DELIVERIES.iter().enumerate() {
        let more = swinging_more_than_soonest(&per_seed, k);
        println!(
            "law 4: work delivers in {d:2} ticks: wood at the new light first peaks {:+5.1}% from where it \
             settles (median {:+5.1}%), then swings about it by {:4.1}% (median {:4.1}%; more than at 1 tick in \
             {more:2} of {SEEDS} seeds)",
            100.0 * mean(k, 0),
            100.0 * median_over_seeds(&per_seed[k], 0),
            100.0 * mean(k, 1),
            100.0 * median_over_seeds(&per_seed[k], 1),
        );
    }
    let last = DELIVERIES.len() - 1;
    assert!(mean(last, 1) > 2.0 * mean(0, 1), "the slowest delivery swings more than the fastest");
}

/// At the default growth rate the row cycles on its own (trees grow from budget on hand fast
/// enough to overshoot even when work delivers at once); at half that rate it settles without
/// swinging, and what the delivery delay does shows alone.
#[test]
fn law_4_where_growth_alone_settles_the_swing_grows_with_the_delay() {
    let rates = [0.7, 1.0, 1.3].map(|f| f * 0.5 * Params::default().growth_rate);
    let mut at_half = Vec::new();
    for (r, rate) in rates.into_iter().enumerate() {
        let per_seed = swings_by_delivery(RowShape::Even, &Params { growth_rate: rate, ..Default::default() });
        let swing: Vec<f64> = per_seed.iter().map(|seeds| mean_over_seeds(seeds, 1)).collect();
        let line: Vec<String> = DELIVERIES
            .iter()
            .enumerate()
            .map(|(k, d)| {
                format!(
                    "{d}: {:.1}% (median {:.1}%; {})",
                    100.0 * swing[k],
                    100.0 * median_over_seeds(&per_seed[k], 1),
                    swinging_more_than_soonest(&per_seed, k)
                )
            })
            .collect();
        println!(
            "law 4, growth rate {rate:.4}: swing about the settled level by delivery delay (seeds of {SEEDS} \
             swinging more than at 1 tick): {}",
            line.join(", ")
        );
        if r == 1 {
            at_half = swing;
        }
    }
    assert_the_swing_grows_with_the_delay(&at_half);
}

/// The stock-management signature's three checks on the mean swing by delivery delay: work
/// delivered at once settles (a swing under 1%), the swing never falls by more than 0.1 point as
/// the delay grows, and the slowest delivery swings more than 10%.
fn the_swing_grows_with_the_delay(swing: &[f64]) -> [bool; 3] {
    [swing[0] < 0.01, swing.windows(2).all(|w| w[1] + 1e-3 >= w[0]), swing[swing.len() - 1] > 0.1]
}

/// [`the_swing_grows_with_the_delay`], asserted.
fn assert_the_swing_grows_with_the_delay(swing: &[f64]) {
    let [settles, steady, slowest] = the_swing_grows_with_the_delay(swing);
    assert!(settles, "with work delivered at once the row settles without swinging");
    assert!(steady, "the swing does not fall as the delay grows");
    assert!(slowest, "the slowest delivery swings");
}

/// The stock-management signature where growth alone settles (half the default growth rate), with
/// each other key parameter moved by ±30%, one at a time: the swing by delivery delay, and whether
/// the three things the test above asserts hold (settles at once; never falls by more than 0.1
/// point as the delay grows; the slowest swings more than 10%).
#[test]
#[ignore]
fn figures_law_4_where_growth_alone_settles_with_each_key_parameter_moved() {
    let half = Params { growth_rate: 0.5 * Params::default().growth_rate, ..Default::default() };
    println!(
        "law 4, growth rate {:.4}: swing about the settled level by delivery delay {DELIVERIES:?}",
        half.growth_rate
    );
    for field in SENSITIVE.into_iter().filter(|&f| f != "delivery") {
        for factor in [0.7, 1.3] {
            let per_seed = swings_by_delivery(RowShape::Even, &common::moved(&half, field, factor));
            let swing: Vec<f64> = per_seed.iter().map(|seeds| mean_over_seeds(seeds, 1)).collect();
            let [settles, steady, slowest] = the_swing_grows_with_the_delay(&swing);
            let shown: Vec<String> = swing.iter().map(|v| format!("{:5.1}%", 100.0 * v)).collect();
            println!(
                "  {:24} {}  settles {settles}, steady {steady}, slowest swings {slowest}",
                format!("{field} x{factor}"),
                shown.join(" ")
            );
        }
    }
}

/// Law 4 through the hierarchy: the same row and shift, every team reporting to one lead, under
/// a reallocation (strength 0.5) on reports that climb `hop_delay` ticks, against the same row
/// under it where the light stayed. Measured where the reallocation cannot be said to do nothing:
/// the lead sees every team in full (`span_of_detail` 10⁶, `picture_blur` 0) and acts on a
/// return 5% from the mean (`mandate_band` 0.05), so it moves budget at every delay. Printed:
/// the wood at the new light's first peak and swing by hop delay. The bullwhip is not
/// reproduced (docs/MODEL.md): the first peak rises from one tick a hop to sixteen but is lowest
/// at thirty-two, and the swing falls as the reports slow; the test holds only that the
/// reallocation moves budget at every delay. In the even row and in rows that differ by seed.
#[test]
fn law_4_a_reallocation_on_late_reports_does_not_overshoot_more_as_reports_slow() {
    let hops = [1u32, 4, 16, 32];
    for shape in [RowShape::Even, RowShape::Varied] {
        let per_seed: Vec<Vec<[f64; 3]>> = hops
            .iter()
            .map(|&hop_delay| {
                let params = Params {
                    hop_delay,
                    span_of_detail: 1e6,
                    picture_blur: 0.0,
                    mandate_band: 0.05,
                    ..Default::default()
                };
                (1..=SEEDS).into_par_iter().map(|seed| wood_swing(shape, &params, seed, reallocate_for_good)).collect()
            })
            .collect();
        for (k, hop) in hops.iter().enumerate() {
            let higher = per_seed[k].iter().zip(&per_seed[0]).filter(|(x, soonest)| x[0] > soonest[0]).count();
            println!(
                "law 4, {shape:?} row, reallocation on reports {hop:2} ticks a hop: wood at the new light first peaks \
                 {:+5.1}% from where it settles (median {:+5.1}%; higher than at 1 tick in {higher:2} of {SEEDS} \
                 seeds), then swings about it by {:4.1}% (median {:4.1}%); {:.0} units reallocated",
                100.0 * mean_over_seeds(&per_seed[k], 0),
                100.0 * median_over_seeds(&per_seed[k], 0),
                100.0 * mean_over_seeds(&per_seed[k], 1),
                100.0 * median_over_seeds(&per_seed[k], 1),
                mean_over_seeds(&per_seed[k], 2),
            );
        }
        assert!(
            per_seed.iter().all(|seeds| mean_over_seeds(seeds, 2) > 0.0),
            "{shape:?}: the reallocation moves budget"
        );
    }
}

/// Law 4, the cost of late reports: after the row's light moves, a reallocation (strength 0.5)
/// on reports that climb `hop_delay` ticks wins back less of what the move costs the later the
/// reports. Real value over the 600 ticks after the move, against the same row under the same
/// reallocation where the light stayed, for the leader as the defaults make it and for one who
/// sees every team in full (as in the test above). Not the bullwhip: a cost that grows steadily
/// with the delay, with no swing, as long as the reallocation moves anything (from where it
/// moves nothing, later reports cannot cost more).
#[test]
fn law_4_a_reallocation_on_late_reports_wins_back_less_of_a_shift_the_later_the_reports() {
    let hops = [1u32, 4, 16, 32];
    let defaults = Params::default();
    let alone: f64 =
        value_lost_over_seeds(RowShape::Even, &defaults, false).iter().map(|x| x[0]).sum::<f64>() / SEEDS as f64;
    println!(
        "law 4, the row left alone: real value after the light moves {alone:+7.0} against the row where it stayed"
    );
    let leaders = [
        ("as the defaults make it", defaults.clone()),
        (
            "seeing every team in full",
            Params { span_of_detail: 1e6, picture_blur: 0.0, mandate_band: 0.05, ..defaults },
        ),
    ];
    for (leader, base) in leaders {
        let per_hop: Vec<Vec<[f64; 2]>> = hops
            .iter()
            .map(|&hop_delay| value_lost_over_seeds(RowShape::Even, &Params { hop_delay, ..base.clone() }, true))
            .collect();
        let mean = |k: usize, part: usize| per_hop[k].iter().map(|x| x[part]).sum::<f64>() / SEEDS as f64;
        // Seeds in which the shift costs more than at one tick a hop.
        let more: Vec<usize> = per_hop
            .iter()
            .map(|seeds| seeds.iter().zip(&per_hop[0]).filter(|(x, soonest)| x[0] < soonest[0]).count())
            .collect();
        for (k, hop) in hops.iter().enumerate() {
            println!(
                "law 4, a leader {leader}, reports {hop:2} ticks a hop: real value after the light moves {:+7.0} \
                 against the row where it stayed (less than at 1 tick in {:2} of {SEEDS} seeds); {:.0} units \
                 reallocated",
                mean(k, 0),
                more[k],
                mean(k, 1),
            );
        }
        for k in 1..hops.len() {
            if mean(k - 1, 1).max(mean(k, 1)) >= 1.0 {
                assert!(mean(k, 0) < mean(k - 1, 0), "{leader}: the later the reports, the more the shift costs");
            } else {
                // Where the rounds move nothing at either delay, only the timing of their
                // attention differs, and the row loses about what it loses left alone.
                let apart = (mean(k, 0) - mean(k - 1, 0)).abs();
                assert!(apart < 1e-3 * alone.abs(), "{leader}: nothing moved, yet the cost differs by {apart:.0}");
            }
        }
        assert!(more[3] >= 18, "{leader}: at 32 ticks a hop the shift costs more than at 1 in {} seeds", more[3]);
    }
    // Sensitivity, for the leader as the defaults make it: 1 and 32 ticks a hop.
    let d = Params::default();
    for (name, moved) in [
        ("growth_rate", Params { growth_rate: 0.7 * d.growth_rate, ..d.clone() }),
        ("growth_rate", Params { growth_rate: 1.3 * d.growth_rate, ..d.clone() }),
        ("storage", Params { storage: 0.7 * d.storage, ..d.clone() }),
        ("storage", Params { storage: 1.3 * d.storage, ..d.clone() }),
        ("mandate_band", Params { mandate_band: 0.7 * d.mandate_band, ..d.clone() }),
        ("mandate_band", Params { mandate_band: 1.3 * d.mandate_band, ..d.clone() }),
        ("span_of_detail", Params { span_of_detail: 0.7 * d.span_of_detail, ..d.clone() }),
        ("span_of_detail", Params { span_of_detail: 1.3 * d.span_of_detail, ..d.clone() }),
    ] {
        print_late_report_cost(&format!("{name} {:.4}", moved.get(name).expect("a parameter")), &moved);
    }
}

/// The cost of late reports with each other key parameter of the claims' sweep moved by ±30%, one
/// at a time, for the leader as the defaults make it: 1 and 32 ticks a hop.
#[test]
#[ignore]
fn figures_law_4_the_cost_of_late_reports_with_each_key_parameter_moved() {
    for field in SENSITIVE.into_iter().filter(|&f| f != "hop_delay") {
        for factor in [0.7, 1.3] {
            print_late_report_cost(&format!("{field} x{factor}"), &common::moved(&Params::default(), field, factor));
        }
    }
}

/// The cost of late reports summed over windows of 300 to 2,400 ticks after the light moves, at
/// the default `work_ceiling`, 0.95 and 1.0, against the row left alone; and over ticks
/// 2,000–2,400, each row's real value a tick (with the seeds' spread) and the shifted row's wood.
#[test]
#[ignore]
fn figures_law_4_the_cost_of_late_reports_over_windows() {
    const WINDOWS: [usize; 4] = [300, 600, 1200, 2400];
    for work_ceiling in [Params::default().work_ceiling, 0.95, 1.0] {
        // Per seed: the shifted row against the still one summed over each window; then, over the
        // last 400 ticks, the two rows' real value a tick and the shifted row's wood. Over the
        // seeds: the means, and the least and most of the shifted row's real value a tick.
        let sums = |params: &Params, reallocate: bool| -> ([f64; 7], f64, f64) {
            let per_seed: Vec<[f64; 7]> = (1..=SEEDS)
                .into_par_iter()
                .map(|seed| {
                    let mut out = [0.0; 7];
                    let mut tick = 0;
                    the_shift_reallocating(RowShape::Even, params, seed, reallocate, 2400, |shifted, still| {
                        let (a, b) =
                            (shifted.trees.value_real.iter().sum::<f64>(), still.trees.value_real.iter().sum::<f64>());
                        for (k, &w) in WINDOWS.iter().enumerate() {
                            if tick < w {
                                out[k] += a - b;
                            }
                        }
                        if tick >= 2000 {
                            out[4] += a / 400.0;
                            out[5] += b / 400.0;
                            out[6] += shifted.trees.biomass.iter().sum::<f64>() / 400.0;
                        }
                        tick += 1;
                    });
                    out
                })
                .collect();
            let late = per_seed.iter().map(|x| x[4]);
            (
                std::array::from_fn(|k| per_seed.iter().map(|x| x[k]).sum::<f64>() / SEEDS as f64),
                late.clone().fold(f64::MAX, f64::min),
                late.fold(f64::MIN, f64::max),
            )
        };
        let last = |(m, least, most): &([f64; 7], f64, f64)| {
            format!(
                "{:.1} a tick ({least:.1} to {most:.1} over the seeds; still row {:.1}), wood {:.0}",
                m[4], m[5], m[6]
            )
        };
        let alone = sums(&Params { work_ceiling, ..Default::default() }, false);
        println!(
            "law 4, work_ceiling {work_ceiling}, the row left alone: {} over {WINDOWS:?} ticks; over ticks 2,000-2,400 {}",
            alone.0[..4].iter().map(|v| format!("{v:+.0}")).collect::<Vec<_>>().join(" / "),
            last(&alone)
        );
        for hop_delay in [1u32, 4, 16, 32] {
            let with = sums(&Params { work_ceiling, hop_delay, ..Default::default() }, true);
            println!(
                "  reallocating on reports {hop_delay:2} ticks a hop, against the row left alone: {} over {WINDOWS:?} \
                 ticks; over ticks 2,000-2,400 {}",
                (0..4).map(|k| format!("{:+.0}", with.0[k] - alone.0[k])).collect::<Vec<_>>().join(" / "),
                last(&with)
            );
        }
    }
}

/// Why fresh reports cost the shifted row where teams fill all their attention with work unasked
/// (`work_ceiling` 1.0), in the even row and in rows that differ by seed. A tree moves where it
/// works at a rate that grows with its free attention, and not at all with none (`lean.rs`); a tree
/// at that ceiling with work to fill it has none. The reallocation's first units make the trees
/// about the new light busy before they have turned toward it; left alone they stay small and idle
/// long enough to turn first. Asserted: at every ceiling, with reports one tick a hop, the trees
/// about the new light turn toward it more slowly over the first 100 ticks with the reallocation
/// than left alone (by more than 0.01 of a full lean), in at least 18 seeds; at the default ceiling
/// both end leaning almost fully toward it (above 0.95); at 1.0 and one tick a hop, with the
/// reallocation they first have no attention free sooner, having turned less far, and over ticks
/// 2,000–2,400 after the shift lean less toward it than left alone, in at least 18 seeds, while the
/// row is behind the row left alone in at least 18; at 32 ticks a hop, where the budget comes too
/// late, they lean as left alone, in at least 18.
#[test]
fn law_4_where_teams_fill_all_their_attention_budget_sent_early_leaves_them_no_room_to_turn() {
    let at = |shape: RowShape, work_ceiling: f64, hop_delay: u32, reallocate: bool| -> Vec<TurnToTheLight> {
        let params = Params { work_ceiling, hop_delay, ..Default::default() };
        (1..=SEEDS).into_par_iter().map(|seed| turning_to_the_new_light(shape, &params, seed, reallocate)).collect()
    };
    // Over the seeds where the part is measured (a tree that never fills has no first full tick).
    let mean = |runs: &[TurnToTheLight], part: fn(&TurnToTheLight) -> f64| {
        let measured: Vec<f64> = runs.iter().map(part).filter(|v| v.is_finite()).collect();
        measured.iter().sum::<f64>() / measured.len() as f64
    };
    let when_full = |runs: &[TurnToTheLight]| {
        let seeds = runs.iter().filter(|r| r.first_full.is_finite()).count();
        if seeds == 0 {
            "never".to_string()
        } else {
            format!(
                "{:.1} ticks after the shift on average, leaning {:+.3} toward it (in {seeds} seeds)",
                mean(runs, |r| r.first_full),
                mean(runs, |r| r.lean_when_full)
            )
        }
    };
    let default_ceiling = Params::default().work_ceiling;
    for shape in [RowShape::Even, RowShape::Varied] {
        // What fresh budget wins back over 2,400 ticks at `work_ceiling` 1.0, by hop delay (1, 32).
        let mut at_full = Vec::new();
        for (work_ceiling, hop_delay) in [(default_ceiling, 1u32), (0.95, 1), (0.98, 1), (0.99, 1), (1.0, 1), (1.0, 32)]
        {
            let with = at(shape, work_ceiling, hop_delay, true);
            let alone = at(shape, work_ceiling, hop_delay, false);
            let won = |k: usize| -> Vec<f64> {
                with.iter().zip(&alone).map(|(w, a)| w.value_after[k] - a.value_after[k]).collect()
            };
            let (won_600, won_2400) = (won(0), won(1));
            let seeds = |keep: fn(&TurnToTheLight, &TurnToTheLight) -> bool| {
                with.iter().zip(&alone).filter(|(w, a)| keep(w, a)).count()
            };
            let slower = seeds(|w, a| w.lean_early < a.lean_early - 0.01);
            let leaning_less = seeds(|w, a| w.lean_late < a.lean_late - 0.01);
            let leaning_alike = seeds(|w, a| (w.lean_late - a.lean_late).abs() <= 0.01);
            println!(
                "law 4, {shape:?} row, work_ceiling {work_ceiling}, reports {hop_delay:2} ticks a hop: fresh budget \
                 wins back {:+.0} over 600 ticks (ahead in {}), {:+.0} over 2,400 (ahead in {}). The trees about the \
                 new light lean toward it {:+.3} over the first 100 ticks ({:+.3} left alone; less in {slower} \
                 seeds), first have no attention free {} ({} left alone), and lean {:+.3} toward it over ticks \
                 2,000-2,400 ({:+.3}; less in {leaning_less} seeds)",
                won_600.iter().sum::<f64>() / SEEDS as f64,
                won_600.iter().filter(|&&w| w > 0.0).count(),
                won_2400.iter().sum::<f64>() / SEEDS as f64,
                won_2400.iter().filter(|&&w| w > 0.0).count(),
                mean(&with, |r| r.lean_early),
                mean(&alone, |r| r.lean_early),
                when_full(&with),
                when_full(&alone),
                mean(&with, |r| r.lean_late),
                mean(&alone, |r| r.lean_late),
            );
            if hop_delay == 1 {
                assert!(slower >= 18, "{shape:?}, {work_ceiling}: turning more slowly early in {slower} seeds");
            }
            if work_ceiling == default_ceiling {
                for runs in [&with, &alone] {
                    assert!(mean(runs, |r| r.lean_late) > 0.95, "{shape:?}: the trees turn to the light");
                }
            }
            if work_ceiling == 1.0 && hop_delay == 1 {
                assert!(mean(&with, |r| r.first_full) < mean(&alone, |r| r.first_full), "{shape:?}: busy sooner");
                assert!(
                    mean(&with, |r| r.lean_when_full) < mean(&alone, |r| r.lean_when_full),
                    "{shape:?}: turned less far when first busy"
                );
                assert!(leaning_less >= 18, "{shape:?}: leaning less toward the light late in {leaning_less} seeds");
                let behind = won_2400.iter().filter(|&&w| w < 0.0).count();
                assert!(behind >= 18, "{shape:?}: fresh budget behind the row left alone in {behind} seeds");
            }
            if work_ceiling == 1.0 && hop_delay == 32 {
                assert!(leaning_alike >= 18, "{shape:?}: leaning as left alone in {leaning_alike} seeds");
            }
            if work_ceiling == 1.0 {
                at_full.push(won_2400);
            }
        }
        // Fresh reports cost more than late ones there.
        let fresh_below = at_full[0].iter().zip(&at_full[1]).filter(|(fresh, late)| fresh < late).count();
        println!("law 4, {shape:?} row, work_ceiling 1: fresh reports below late ones in {fresh_below} seeds");
        assert!(fresh_below >= 18, "{shape:?}: fresh reports cost more than late ones in {fresh_below} seeds");
    }
}

/// How the trees about the new light (between 0.02 and 0.15 of its centre) turn to it after the
/// shift, in the shifted row of [`the_shift_reallocating`] with one-tick links. A lean toward the
/// light is the tree's lean signed toward the centre: 1 is a full reach toward it.
struct TurnToTheLight {
    /// Real value against the row where the light stayed, over the first 600 and 2,400 ticks.
    value_after: [f64; 2],
    /// The trees' mean lean toward the light over the first 100 ticks after the shift.
    lean_early: f64,
    /// The mean tick after the shift at which such a tree first has no attention free (less than
    /// a millionth of it, so that it barely moves where it works), over the trees that do; NaN
    /// if none does.
    first_full: f64,
    /// Their lean toward the light at that tick.
    lean_when_full: f64,
    /// Their mean lean toward the light over ticks 2,000–2,400 after the shift.
    lean_late: f64,
}

fn turning_to_the_new_light(shape: RowShape, params: &Params, seed: u64, reallocate: bool) -> TurnToTheLight {
    const CENTRE: f64 = 0.7;
    let mut out =
        TurnToTheLight { value_after: [0.0; 2], lean_early: 0.0, first_full: 0.0, lean_when_full: 0.0, lean_late: 0.0 };
    let mut busy: Vec<Option<(usize, f64)>> = Vec::new();
    let mut tick = 0;
    the_shift_reallocating(shape, params, seed, reallocate, 2400, |shifted, still| {
        let t = &shifted.trees;
        // The upper bound allows for rounding, so that the even row counts as many trees each side.
        let about: Vec<usize> = (0..t.x.len())
            .filter(|&i| t.alive[i] && t.parent[i] != NONE && (0.02..0.15 + 1e-9).contains(&(t.x[i] - CENTRE).abs()))
            .collect();
        busy.resize(t.x.len(), None);
        let toward = |i: usize| t.lean[i] * (CENTRE - t.x[i]).signum();
        let mean_toward = about.iter().map(|&i| toward(i)).sum::<f64>() / about.len() as f64;
        let value = t.value_real.iter().sum::<f64>() - still.trees.value_real.iter().sum::<f64>();
        if tick < 600 {
            out.value_after[0] += value;
        }
        out.value_after[1] += value;
        if tick < 100 {
            out.lean_early += mean_toward / 100.0;
        }
        for &i in &about {
            if busy[i].is_none() && t.attention_load[i] > (1.0 - 1e-6) * t.attention_capacity[i] {
                busy[i] = Some((tick, toward(i)));
            }
        }
        if tick >= 2000 {
            out.lean_late += mean_toward / 400.0;
        }
        tick += 1;
    });
    let turned: Vec<(usize, f64)> = busy.into_iter().flatten().collect();
    let n = turned.len() as f64;
    out.first_full = turned.iter().map(|&(tick, _)| tick as f64).sum::<f64>() / n;
    out.lean_when_full = turned.iter().map(|&(_, lean)| lean).sum::<f64>() / n;
    out
}

/// The two asserted Law 4 results in rows that differ by seed (`RowShape::Varied`), where the even
/// row's seeds differ only by noise: the stock-management swing by delivery delay, at half the
/// default growth rate (asserted as for the even row) and at the default (printed), and the cost
/// of late reports by hop delay (asserted: fresh reports win back more than reports 32 ticks a hop
/// late, in at least 18 seeds), each with the seeds' spread.
#[test]
fn law_4_holds_in_rows_that_differ_by_seed() {
    let sd = |v: &[f64]| {
        let m = v.iter().sum::<f64>() / v.len() as f64;
        (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt()
    };
    for growth_rate in [0.5 * Params::default().growth_rate, Params::default().growth_rate] {
        let per_seed = swings_by_delivery(RowShape::Varied, &Params { growth_rate, ..Default::default() });
        let line: Vec<String> = DELIVERIES
            .iter()
            .enumerate()
            .map(|(k, d)| {
                let swings: Vec<f64> = per_seed[k].iter().map(|x| x[1]).collect();
                format!(
                    "{d}: {:.1}% (sd {:.1}, median {:.1}%; {})",
                    100.0 * mean_over_seeds(&per_seed[k], 1),
                    100.0 * sd(&swings),
                    100.0 * median_over_seeds(&per_seed[k], 1),
                    swinging_more_than_soonest(&per_seed, k)
                )
            })
            .collect();
        println!(
            "law 4 in rows that differ by seed, growth rate {growth_rate:.4}: swing about the settled level by delivery \
             delay (seeds of {SEEDS} swinging more than at 1 tick): {}",
            line.join(", ")
        );
        if growth_rate < Params::default().growth_rate {
            let swing: Vec<f64> = per_seed.iter().map(|seeds| mean_over_seeds(seeds, 1)).collect();
            assert_the_swing_grows_with_the_delay(&swing);
        }
    }
    let defaults = Params::default();
    let alone: Vec<f64> = value_lost_over_seeds(RowShape::Varied, &defaults, false).iter().map(|x| x[0]).collect();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    println!("law 4 in rows that differ by seed, left alone: {:+.0} (sd {:.0})", mean(&alone), sd(&alone));
    let per_hop: Vec<Vec<[f64; 2]>> = [1u32, 4, 16, 32]
        .iter()
        .map(|&hop_delay| value_lost_over_seeds(RowShape::Varied, &Params { hop_delay, ..defaults.clone() }, true))
        .collect();
    // Seeds in which the shift costs more than at one tick a hop, by hop delay.
    let more: Vec<usize> = per_hop
        .iter()
        .map(|seeds| seeds.iter().zip(&per_hop[0]).filter(|(x, soonest)| x[0] < soonest[0]).count())
        .collect();
    for (k, hop) in [1u32, 4, 16, 32].iter().enumerate() {
        let cost: Vec<f64> = per_hop[k].iter().map(|x| x[0]).collect();
        let won: Vec<f64> = cost.iter().zip(&alone).map(|(c, a)| c - a).collect();
        println!(
            "  reallocating on reports {hop:2} ticks a hop: {:+.0} (sd {:.0}); won back against the row left alone {:+.0} \
             (ahead in {} seeds); costs more than at 1 tick in {} seeds; {:.0} units reallocated",
            mean(&cost),
            sd(&cost),
            mean(&won),
            won.iter().filter(|&&w| w > 0.0).count(),
            more[k],
            per_hop[k].iter().map(|x| x[1]).sum::<f64>() / SEEDS as f64
        );
    }
    assert!(more[3] >= 18, "at 32 ticks a hop the shift costs more than at 1 in {} seeds", more[3]);
}

/// What a reallocation under `params` wins back of the shift at 1 and at 32 ticks a hop, and in
/// how many seeds it wins back less at 32, printed under `label`.
fn print_late_report_cost(label: &str, params: &Params) {
    let at = |hop_delay: u32| value_lost_over_seeds(RowShape::Even, &Params { hop_delay, ..params.clone() }, true);
    let (soonest, latest) = (at(1), at(32));
    let more = latest.iter().zip(&soonest).filter(|(x, s)| x[0] < s[0]).count();
    let mean = |v: &[[f64; 2]], part: usize| v.iter().map(|x| x[part]).sum::<f64>() / SEEDS as f64;
    let alone = mean(&value_lost_over_seeds(RowShape::Even, params, false), 0);
    println!(
        "law 4, {label}: after the light moves {:+7.0} at 1 tick a hop ({:.0} units reallocated), {:+7.0} at 32 \
         (less in {more:2} of {SEEDS} seeds); left alone {alone:+7.0}",
        mean(&soonest, 0),
        mean(&soonest, 1),
        mean(&latest, 0),
    );
}

/// Real value over the 600 ticks after the row's light moves from 0.2 to 0.7 at tick 400, less
/// that of the same row where it stayed, both under a reallocation from tick 0 (or neither,
/// without `reallocate`); and the budget the reallocation moved in those ticks.
fn value_lost_to_the_shift(shape: RowShape, params: &Params, seed: u64, reallocate: bool) -> [f64; 2] {
    let (mut value, mut moved) = (0.0, 0.0);
    the_shift_reallocating(shape, params, seed, reallocate, 600, |shifted, still| {
        value += shifted.trees.value_real.iter().sum::<f64>() - still.trees.value_real.iter().sum::<f64>();
        moved += shifted.trees.mandated.iter().map(|m| m.max(0.0)).sum::<f64>();
    });
    [value, moved]
}

/// [`value_lost_to_the_shift`] for each seed.
fn value_lost_over_seeds(shape: RowShape, params: &Params, reallocate: bool) -> Vec<[f64; 2]> {
    (1..=SEEDS).into_par_iter().map(|seed| value_lost_to_the_shift(shape, params, seed, reallocate)).collect()
}

/// [`the_shift`] with one-tick links, both rows under a reallocation from tick 0, or neither
/// (without `reallocate`).
fn the_shift_reallocating(
    shape: RowShape,
    params: &Params,
    seed: u64,
    reallocate: bool,
    ticks: usize,
    each: impl FnMut(&Forest, &Forest),
) {
    let decide = |f: &mut Forest| {
        if reallocate {
            reallocate_for_good(f);
        }
    };
    the_shift(shape, params, 1, seed, decide, ticks, each);
}

/// The shift the Law 4 experiments share: a row of 30 teams whose links take `link_delay` ticks,
/// and the same row beside it (same seed, the same decisions, `decide`, from tick 0); at tick 400
/// the first row's patch of light moves from 0.2 to 0.7, and `each` sees both rows after every
/// one of the `ticks` ticks that follow.
fn the_shift(
    shape: RowShape,
    params: &Params,
    link_delay: u32,
    seed: u64,
    decide: impl Fn(&mut Forest),
    ticks: usize,
    each: impl FnMut(&Forest, &Forest),
) {
    let once = |f: &mut Forest| {
        if f.tick == 0 {
            decide(f)
        }
    };
    the_shift_on_a_schedule(shape, params, link_delay, seed, once, ticks, each);
}

/// [`the_shift`] with decisions on a schedule: `schedule` is called on both rows before every
/// tick.
fn the_shift_on_a_schedule(
    shape: RowShape,
    params: &Params,
    link_delay: u32,
    seed: u64,
    schedule: impl Fn(&mut Forest),
    ticks: usize,
    mut each: impl FnMut(&Forest, &Forest),
) {
    let light = one_still_patch_at_0_2();
    let mut shifted = shape.row(30, link_delay, params.clone(), light.clone(), seed);
    let mut still = shape.row(30, link_delay, params.clone(), light, seed);
    for tick in 0..400 + ticks {
        if tick == 400 {
            shifted.light.patches[0].center = 0.7;
        }
        schedule(&mut shifted);
        schedule(&mut still);
        shifted.step();
        still.step();
        if tick >= 400 {
            each(&shifted, &still);
        }
    }
}

/// The delivery delays the Law 4 stock-management experiments sweep, in ticks.
const DELIVERIES: [u32; 7] = [1, 2, 4, 8, 16, 32, 48];

/// The mean over seeds of one part of [`wood_swing`]'s measure (0: first peak, 1: swing, 2: budget moved).
fn mean_over_seeds(seeds: &[[f64; 3]], part: usize) -> f64 {
    seeds.iter().map(|x| x[part]).sum::<f64>() / seeds.len() as f64
}

/// The median over seeds of one part of each seed's measures. The Law 4 figures are shares of
/// where a seed settles against the still row; a seed that settles almost where the still row
/// does makes its shares huge and carries the mean, and the median shows whether one did.
fn median_over_seeds(seeds: &[[f64; 3]], part: usize) -> f64 {
    let mut values: Vec<f64> = seeds.iter().map(|x| x[part]).collect();
    values.sort_by(f64::total_cmp);
    let n = values.len();
    (values[(n - 1) / 2] + values[n / 2]) / 2.0
}

/// Seeds in which delivery `k` swings more than the soonest delivery.
fn swinging_more_than_soonest(per_seed: &[Vec<[f64; 3]>], k: usize) -> usize {
    per_seed[k].iter().zip(&per_seed[0]).filter(|(x, soonest)| x[1] > soonest[1]).count()
}

/// For each delivery delay of [`DELIVERIES`] and seed, [`wood_swing`] with no decisions.
fn swings_by_delivery(shape: RowShape, base: &Params) -> Vec<Vec<[f64; 3]>> {
    DELIVERIES
        .iter()
        .map(|&delivery| {
            let params = Params { delivery, ..base.clone() };
            (1..=SEEDS).into_par_iter().map(|seed| wood_swing(shape, &params, seed, |_| {})).collect()
        })
        .collect()
}

/// How a row of 30 teams answers its patch of light moving from 0.2 to 0.7 at tick 400, against
/// the same row where it stayed (same seed, and the same decisions, `decide`, from tick 0): the
/// wood at the new light's first peak above where it settles (the mean of the second half of
/// 1,600 ticks), and its standard deviation about it over that half, both as shares of the
/// settled level; and the budget reallocations moved in those 1,600 ticks.
fn wood_swing(shape: RowShape, params: &Params, seed: u64, decide: impl Fn(&mut Forest)) -> [f64; 3] {
    let wood = |f: &Forest, near: &[usize]| near.iter().map(|&i| f.trees.biomass[i]).sum::<f64>();
    swing_after_the_shift(shape, params, 1, 0.1, seed, decide, wood)
}

/// [`wood_swing`] for any `measure` of the trees within `radius` of the new light, in a row whose
/// links take `link_delay` ticks.
fn swing_after_the_shift(
    shape: RowShape,
    params: &Params,
    link_delay: u32,
    radius: f64,
    seed: u64,
    decide: impl Fn(&mut Forest),
    measure: impl Fn(&Forest, &[usize]) -> f64,
) -> [f64; 3] {
    let once = |f: &mut Forest| {
        if f.tick == 0 {
            decide(f)
        }
    };
    let ([peak, swing, _], moved) = swing_on_a_schedule(shape, params, link_delay, radius, seed, once, measure);
    [peak, swing, moved]
}

/// [`peak_and_swing`] of `measure` of the trees within `radius` of the new light against the
/// still row, in [`the_shift_on_a_schedule`] over 1,600 ticks; and the budget reallocations
/// moved in them.
fn swing_on_a_schedule(
    shape: RowShape,
    params: &Params,
    link_delay: u32,
    radius: f64,
    seed: u64,
    schedule: impl Fn(&mut Forest),
    measure: impl Fn(&Forest, &[usize]) -> f64,
) -> ([f64; 3], f64) {
    let (mut near, mut gap, mut moved) = (None, Vec::new(), 0.0);
    the_shift_on_a_schedule(shape, params, link_delay, seed, schedule, 1600, |shifted, still| {
        let near: &Vec<usize> =
            near.get_or_insert_with(|| (1..=30).filter(|&i| (shifted.trees.x[i] - 0.7).abs() < radius).collect());
        gap.push(measure(shifted, near) - measure(still, near));
        moved += shifted.trees.mandated.iter().map(|m| m.max(0.0)).sum::<f64>();
    });
    (peak_and_swing(&gap), moved)
}

/// Of a series that follows a shift, against the row where nothing moved: the first peak (over
/// its first 600 ticks) above where it settles (the mean of its second half), and its standard
/// deviation about that over the second half, both as shares of the settled level; and the
/// settled level.
fn peak_and_swing(gap: &[f64]) -> [f64; 3] {
    let half = &gap[gap.len() / 2..];
    let settled = half.iter().sum::<f64>() / half.len() as f64;
    let sd = (half.iter().map(|v| (v - settled).powi(2)).sum::<f64>() / half.len() as f64).sqrt();
    let peak = gap[..600].iter().copied().fold(f64::MIN, f64::max);
    [(peak - settled) / settled.abs().max(1e-9), sd / settled.abs().max(1e-9), settled]
}

/// Leaning on what late neighbours say of the light. A tree's own view moves its lean on by the
/// rise in light it hears and sees, until the light rises no further, so after the light moves
/// the trees near it climb toward it and stop there. At the default `lean_rate`: no swing at any
/// link delay and almost no overshoot, which is what the test holds, in the even row and in rows
/// that differ by seed (`RowShape::Varied`). Printed at four and sixteen
/// times the rate, where a climb on late news could overshoot and swing (since stop 37 it does
/// neither, by more than 3% and 0.1%, at any delay). Half the default
/// growth rate, as in the stock experiment, so that the row's own growth cycle does not move
/// the trees' light.
#[test]
fn law_4_leaning_on_late_neighbours_does_not_swing() {
    let toward = |f: &Forest, near: &[usize]| {
        near.iter().map(|&i| f.trees.lean[i] * (0.7 - f.trees.x[i]).signum()).sum::<f64>() / near.len() as f64
    };
    let defaults = Params::default();
    for (shape, times) in
        [(RowShape::Even, 1.0), (RowShape::Even, 4.0), (RowShape::Even, 16.0), (RowShape::Varied, 1.0)]
    {
        for delay in [1u32, 4, 16, 64] {
            let params = Params {
                lean_rate: times * defaults.lean_rate,
                growth_rate: 0.5 * defaults.growth_rate,
                ..Default::default()
            };
            let per_seed: Vec<[f64; 3]> = (1..=SEEDS)
                .into_par_iter()
                .map(|seed| swing_after_the_shift(shape, &params, delay, 0.2, seed, |_| {}, toward))
                .collect();
            let (peak, swing) = (mean_over_seeds(&per_seed, 0), mean_over_seeds(&per_seed, 1));
            println!(
                "law 4, {shape:?} row, leaning at {times:>2}x lean_rate, links {delay:2} ticks: the lean toward the new light first \
                 peaks {:+5.1}% from where it settles (median {:+5.1}%), then swings about it by {:4.1}% (median \
                 {:4.1}%)",
                100.0 * peak,
                100.0 * median_over_seeds(&per_seed, 0),
                100.0 * swing,
                100.0 * median_over_seeds(&per_seed, 1),
            );
            if times == 1.0 {
                assert!(swing < 0.01, "no swing: {shape:?}, {times}x, {delay} ticks");
                assert!(peak < 0.05, "almost no overshoot: {shape:?}, {times}x, {delay} ticks");
            }
        }
    }
}

/// Law 4 where the light is shared (`crowding`): trees that lean toward a new light on what
/// their neighbours say of it, as late as the links, crowd it past where it pays, and swing about
/// where they settle; both grow with the link delay. With light that is not used up nothing
/// pushes back, and there is no swing (the test above). The lean toward the new light against the
/// same row where it stayed, as there; at `crowding` 1 and 3, and at 3 with `lean_rate` and
/// `reach` moved ±30%.
#[test]
fn law_4_where_light_is_shared_leaning_on_late_neighbours_overshoots_and_swings_more_the_later() {
    let toward = |f: &Forest, near: &[usize]| {
        near.iter().map(|&i| f.trees.lean[i] * (0.7 - f.trees.x[i]).signum()).sum::<f64>() / near.len() as f64
    };
    let d = Params::default();
    let shared = |crowding: f64| Params { crowding, ..Default::default() };
    let settings = [
        ("crowding 1", shared(1.0), true),
        ("crowding 3", shared(3.0), true),
        ("crowding 3, lean_rate x0.7", Params { lean_rate: 0.7 * d.lean_rate, ..shared(3.0) }, false),
        ("crowding 3, lean_rate x1.3", Params { lean_rate: 1.3 * d.lean_rate, ..shared(3.0) }, false),
        ("crowding 3, reach x0.7", Params { reach: 0.7 * d.reach, ..shared(3.0) }, false),
        ("crowding 3, reach x1.3", Params { reach: 1.3 * d.reach, ..shared(3.0) }, false),
    ];
    let delays = [1u32, 4, 16, 64];
    let mut short: Vec<String> = Vec::new();
    for (label, params, steady) in settings {
        let per_delay: Vec<Vec<[f64; 3]>> = delays
            .iter()
            .map(|&delay| {
                (1..=SEEDS)
                    .into_par_iter()
                    .map(|seed| swing_after_the_shift(RowShape::Even, &params, delay, 0.2, seed, |_| {}, toward))
                    .collect()
            })
            .collect();
        let (peaks, swings): (Vec<f64>, Vec<f64>) =
            per_delay.iter().map(|seeds| (mean_over_seeds(seeds, 0), mean_over_seeds(seeds, 1))).unzip();
        let slowest = delays.len() - 1;
        let more = |part: usize| {
            per_delay[slowest].iter().zip(&per_delay[0]).filter(|(slow, fast)| slow[part] > fast[part]).count()
        };
        let (peak_more, swing_more) = (more(0), more(1));
        println!(
            "law 4, shared light ({label}), links {delays:?} ticks: the lean toward the new light first peaks {} \
             from where it settles (medians {}), then swings about it by {} (medians {}); at 64 ticks more than \
             at 1 in {peak_more} and {swing_more} of {SEEDS} seeds",
            peaks.iter().map(|p| format!("{:+.1}%", 100.0 * p)).collect::<Vec<_>>().join(", "),
            per_delay
                .iter()
                .map(|d| format!("{:+.1}%", 100.0 * median_over_seeds(d, 0)))
                .collect::<Vec<_>>()
                .join(", "),
            swings.iter().map(|w| format!("{:.1}%", 100.0 * w)).collect::<Vec<_>>().join(", "),
            per_delay.iter().map(|d| format!("{:.1}%", 100.0 * median_over_seeds(d, 1))).collect::<Vec<_>>().join(", "),
        );
        let most = SEEDS as usize * 9 / 10;
        if peak_more < most || swing_more < most {
            short.push(format!("{label}: 64 against 1 tick"));
        }
        let grows = |v: &[f64]| v.windows(2).all(|w| w[1] > w[0]);
        if steady && !(grows(&peaks) && grows(&swings)) {
            short.push(format!("{label}: steadily"));
        }
    }
    assert_eq!(short, SHARED_LIGHT_SHORT_AT, "where the signature falls short changed: update docs/MODEL.md");
}

/// Where `law_4_where_light_is_shared_leaning_on_late_neighbours_overshoots_and_swings_more_the_later`
/// falls short (docs/MODEL.md says the same).
const SHARED_LIGHT_SHORT_AT: [&str; 6] = [
    "crowding 1: 64 against 1 tick",
    "crowding 1: steadily",
    "crowding 3: 64 against 1 tick",
    "crowding 3: steadily",
    "crowding 3, lean_rate x1.3: 64 against 1 tick",
    "crowding 3, reach x1.3: 64 against 1 tick",
];

// ---- Family member ----

/// The same mechanisms, with no parameter changed, run the small, stable forest and the large,
/// changing one, and each style behaves in both (the comparison of outcomes is `claims.rs`).
#[test]
fn one_model_runs_every_shipped_scene_under_every_standard_timeline() {
    for file in ["scenes/small-stable.ron", "scenes/large-changing.ron", "scenes/default.ron"] {
        let mut scene = LoadedScene::from_path(file.as_ref()).expect("loads");
        let only_the_environment = Params {
            hop_delay: scene.scene.params.hop_delay,
            soil_rate: scene.scene.params.soil_rate,
            ..Default::default()
        };
        assert_eq!(
            scene.scene.params, only_the_environment,
            "{file}: only the delays and the soil differ from the defaults"
        );
        scene.scene.timelines = standard_timelines(400);
        for timeline in TIMELINES {
            let t = scene.timeline(Some(timeline)).expect("timeline");
            let r = run(&scene, &t, 1, 400, |_| {}).expect("runs").rows;
            assert!(r.iter().all(finite), "{file} {timeline}");
        }
    }
}

/// Behaviour reproduction needs paired runs: for one seed, every style of leading meets the same
/// light, tick by tick, shifts included, however many draws its trees make.
#[test]
fn every_style_of_leading_meets_the_same_weather() {
    let scene = LoadedScene::from_path("scenes/large-changing.ron".as_ref()).expect("loads");
    let path = |timeline: &str| {
        let t = scene.timeline(Some(timeline)).expect("timeline");
        let mut forest = scene.forest(Some(3)).expect("builds");
        (0..800)
            .map(|_| {
                understory::run::advance(&mut forest, &t);
                forest.light.patches.iter().map(|p| (p.center.to_bits(), p.brightness.to_bits())).collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    let left_alone = path("hands-off");
    for timeline in ["command", "stewardship"] {
        assert!(path(timeline) == left_alone, "{timeline} met other weather than hands-off");
    }
}

/// A storm strikes the same trees, as hard, whatever leadership did before it: here one forest
/// has had a team cut and connections grown (each draws on the trees' own random stream) and the
/// other nothing, and the storm that then strikes both takes the same share of the same trees'
/// wood.
#[test]
fn a_storm_strikes_the_same_trees_whatever_leadership_did_before() {
    let quiet = row(16, 1, Params::default(), LightConfig::default(), 5);
    let mut led = quiet.clone();
    led.intervene(Intervention { kind: InterventionKind::CutWeakest, strength: 0.1, duration: 0, on: Selection::All });
    led.intervene(Intervention {
        kind: InterventionKind::GrowConnections,
        strength: 1.0,
        duration: 0,
        on: Selection::All,
    });
    let struck = |mut f: Forest| {
        for _ in 0..40 {
            f.step();
        }
        f.intervene(Intervention { kind: InterventionKind::Storm, strength: 0.5, duration: 0, on: Selection::All });
        let before = f.trees.biomass.clone();
        f.step();
        (0..before.len())
            .filter(|&i| f.trees.alive[i] && f.trees.biomass[i] < 0.8 * before[i])
            .map(|i| (i, (f.trees.biomass[i] / before[i] * 100.0).round() as i64))
            .collect::<Vec<_>>()
    };
    let (in_quiet, in_led) = (struck(quiet), struck(led));
    assert!(!in_quiet.is_empty(), "the storm struck");
    let cut: Vec<usize> = in_quiet.iter().map(|&(i, _)| i).filter(|i| !in_led.iter().any(|&(j, _)| j == *i)).collect();
    assert!(cut.len() <= 1, "only a tree cut before can be missing: {in_quiet:?} against {in_led:?}");
    for &(i, kept) in &in_led {
        let same = in_quiet.iter().find(|&&(j, _)| j == i);
        assert!(same.is_some_and(|&(_, k)| (k - kept).abs() <= 2), "tree {i}: {in_quiet:?} against {in_led:?}");
    }
}

// ---- Helpers ----

/// A reallocation (Mandate, strength 0.5) on every tree, from now to past any experiment's end.
fn reallocate_for_good(f: &mut Forest) {
    f.intervene(Intervention { kind: InterventionKind::Mandate, strength: 0.5, duration: 100_000, on: Selection::All });
}

/// One still patch of light at 0.2 over ambient light, for the experiments that move it to 0.7.
fn one_still_patch_at_0_2() -> LightConfig {
    LightConfig {
        ambient: 0.4,
        patches: 1,
        width: 0.15,
        drift: 0.0,
        change: 0.0,
        jump: 0.0,
        centers: vec![0.2],
        ..Default::default()
    }
}

/// A lead over `n` teams in a row, each linked to the next with `delay`.
fn row(n: usize, delay: u32, params: Params, light: LightConfig, seed: u64) -> Forest {
    RowShape::Even.row(n, delay, params, light, seed)
}

/// The row of the Law 4 experiments: teams evenly spaced and alike in every seed (`Even`), so that
/// a seed changes only the noise, or placed and sized by the seed (`Varied`: each team up to 0.3
/// of the spacing off its even place, and 0.7 to 1.3 times its size and wood), so that seeds are
/// different rows.
#[derive(Debug, Clone, Copy)]
enum RowShape {
    Even,
    Varied,
}

impl RowShape {
    /// A row of `n` teams under one lead, each linked to the next by a link of `delay` ticks:
    /// evenly spaced teams of 6 people and 6 units of wood, or, `Varied`, each placed and sized
    /// off that by the seed's own stream (never the model's).
    fn row(self, n: usize, delay: u32, params: Params, light: LightConfig, seed: u64) -> Forest {
        let mut draw = understory::model::rng::ModelRng::stream(seed, 7);
        let mut off = |by: f64| if let RowShape::Varied = self { by * draw.signed() } else { 0.0 };
        let mut teams =
            vec![TeamInit { name: "lead".into(), x: 0.5, size: 6.0, parent: NONE, biomass: 6.0, energy: None }];
        for i in 0..n {
            let x = (i as f64 + 0.5 + off(0.3)) / n as f64;
            let size = 6.0 * (1.0 + off(0.3));
            teams.push(TeamInit { name: format!("t{i}"), x, size, parent: 0, biomass: size, energy: None });
        }
        let links = (1..n as u32).map(|i| LinkInit { a: i, b: i + 1, delay, capacity: 1.0 }).collect();
        Forest::new(teams, links, params, light, seed).expect("valid")
    }
}

/// How often a series crosses from more than 5% of its swing above its final level to more
/// than 5% below, or back: 0 for a series that settles without swinging.
fn crossings(series: &[f64]) -> usize {
    let tail = &series[series.len() * 7 / 8..];
    let last = tail.iter().sum::<f64>() / tail.len() as f64;
    let swing = series.iter().map(|v| (v - last).abs()).fold(0.0, f64::max);
    let band = 0.05 * swing;
    let (mut side, mut count) = (0i32, 0);
    for &v in series {
        let s = if v > last + band {
            1
        } else if v < last - band {
            -1
        } else {
            0
        };
        if s != 0 && s != side {
            if side != 0 {
                count += 1;
            }
            side = s;
        }
    }
    count
}

// ---- Figures docs/MODEL.md quotes from runs beyond the assertions ----
//
// Run on demand: `cargo test --release --test validation figures_ -- --ignored --nocapture`.
// Each prints, asserting nothing.

/// The Law 4 row and shift with decisions on a schedule: `schedule` is called on both rows before
/// every tick. Returns the first peak of `measure` (of the trees within `radius` of the new
/// light, against the still row) above where it settles, the swing about it, as in
/// [`swing_after_the_shift`], and where it settles.
fn scheduled_swing(
    params: &Params,
    seed: u64,
    schedule: impl Fn(&mut Forest),
    radius: f64,
    measure: impl Fn(&Forest, &[usize]) -> f64,
) -> [f64; 3] {
    swing_on_a_schedule(RowShape::Even, params, 1, radius, seed, schedule, measure).0
}

fn print_scheduled(
    label: &str,
    params: &Params,
    schedule: impl Fn(&mut Forest) + Sync,
    radius: f64,
    measure: impl Fn(&Forest, &[usize]) -> f64 + Sync,
) {
    let per_seed: Vec<[f64; 3]> =
        (1..=SEEDS).into_par_iter().map(|seed| scheduled_swing(params, seed, &schedule, radius, &measure)).collect();
    let m = |k: usize| mean_over_seeds(&per_seed, k);
    println!(
        "  {label}: first peak {:+.1}% from where it settles (median over seeds {:+.1}%), swing {:.1}% (median \
         {:.1}%), settled {:.3} above the still row",
        100.0 * m(0),
        100.0 * median_over_seeds(&per_seed, 0),
        100.0 * m(1),
        100.0 * median_over_seeds(&per_seed, 1),
        m(2)
    );
}

/// People as the stock: reorganizations on a schedule move people toward the new light; does
/// the headcount there overshoot, and more the later the reports? At `crowding` 0, 1 and 3.
#[test]
#[ignore]
fn figures_law_4_people_moved_by_reorganizations() {
    let people = |f: &Forest, near: &[usize]| near.iter().map(|&i| f.trees.size[i]).sum::<f64>();
    for crowding in [0.0, 1.0, 3.0] {
        for (every, strength) in [(20u64, 0.2), (50, 0.3)] {
            println!("crowding {crowding}, every team reorganized every {every} ticks at {strength} from tick 100:");
            for hop_delay in [1u32, 4, 16, 32] {
                let params = Params { crowding, hop_delay, ..Default::default() };
                let schedule = move |f: &mut Forest| {
                    if f.tick >= 100 && (f.tick - 100).is_multiple_of(every) {
                        f.intervene(Intervention {
                            kind: InterventionKind::Reorganize,
                            strength,
                            duration: 0,
                            on: Selection::All,
                        });
                    }
                };
                print_scheduled(&format!("hop delay {hop_delay}"), &params, schedule, 0.1, people);
            }
        }
    }
}

/// Standing alignment orders, and a standing reallocation, where light is shared: the lean toward
/// the new light of the trees within 0.2 of it, at one to 32 ticks a hop.
#[test]
#[ignore]
fn figures_law_4_alignment_orders_where_light_is_shared() {
    let toward = |f: &Forest, near: &[usize]| {
        near.iter().map(|&i| f.trees.lean[i] * (0.7 - f.trees.x[i]).signum()).sum::<f64>() / near.len() as f64
    };
    for crowding in [0.0, 1.0, 3.0] {
        for strength in [0.5, 0.9] {
            println!("crowding {crowding}, alignment orders at {strength} from tick 0:");
            for hop_delay in [1u32, 4, 16, 32] {
                let params = Params { crowding, hop_delay, ..Default::default() };
                let schedule = move |f: &mut Forest| {
                    if f.tick == 0 {
                        f.intervene(Intervention {
                            kind: InterventionKind::EnforceAlignment,
                            strength,
                            duration: 100_000,
                            on: Selection::All,
                        });
                    }
                };
                print_scheduled(&format!("hop delay {hop_delay}"), &params, schedule, 0.2, toward);
            }
        }
        println!("crowding {crowding}, a reallocation at 0.5 from tick 0:");
        for hop_delay in [1u32, 32] {
            let params = Params { crowding, hop_delay, ..Default::default() };
            let schedule = |f: &mut Forest| {
                if f.tick == 0 {
                    reallocate_for_good(f);
                }
            };
            print_scheduled(&format!("hop delay {hop_delay}"), &params, schedule, 0.2, toward);
        }
    }
}
