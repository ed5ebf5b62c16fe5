//! One test per mechanism of the model, on small forests built directly.

use understory::model::{
    Forest, Intervention, InterventionKind, LightConfig, LinkInit, NONE, Params, Selection, TeamInit,
};

fn team(name: &str, x: f64, parent: u32) -> TeamInit {
    TeamInit { name: name.into(), x, size: 6.0, parent, biomass: 6.0, energy: None }
}

fn dark() -> LightConfig {
    LightConfig { ambient: 1.0, patches: 0, drift: 0.0, change: 0.0, jump: 0.0, ..Default::default() }
}

/// A lead over `n` teams in a row, each linked to the next with `delay`.
fn row(n: usize, delay: u32, params: Params, light: LightConfig) -> Forest {
    let mut teams = vec![team("lead", 0.5, NONE)];
    for i in 0..n {
        teams.push(team(&format!("t{i}"), (i as f64 + 0.5) / n as f64, 0));
    }
    let links = (1..n as u32).map(|i| LinkInit { a: i, b: i + 1, delay, capacity: 1.0 }).collect();
    Forest::new(teams, links, params, light, 1).expect("valid forest")
}

fn intervene(kind: InterventionKind, strength: f64, duration: u64) -> Intervention {
    Intervention { kind, strength, duration, on: Selection::All }
}

#[test]
fn a_signal_reaches_the_other_end_exactly_delay_ticks_later() {
    let delay = 5;
    let mut forest = row(2, delay, Params { signal_noise: 0.0, ..Default::default() }, dark());
    for _ in 0..30 {
        forest.step();
    }
    let before = forest.seen_at_b[0];
    // Move tree t0 under a bright patch: its usefulness jumps on the next step.
    forest.light = understory::model::Light::new(
        LightConfig {
            ambient: 1.0,
            patches: 1,
            centers: vec![forest.trees.x[1]],
            drift: 0.0,
            change: 0.0,
            jump: 0.0,
            ..Default::default()
        },
        &mut understory::model::rng::ModelRng::seeded(1),
    );
    let changed_at = forest.tick; // the step that runs at this tick sees the new light
    let mut first_seen = None;
    for _ in 0..20 {
        forest.step();
        if first_seen.is_none() && (forest.seen_at_b[0] - before).abs() > 0.1 {
            first_seen = Some(forest.tick - 1);
        }
    }
    assert_eq!(first_seen, Some(changed_at + delay as u64), "the far end must hear it exactly {delay} ticks later");
}

#[test]
fn overload_raises_stress_and_drops_work_as_litter() {
    let mut calm = row(3, 1, Params::default(), dark());
    let mut busy = calm.clone();
    for _ in 0..20 {
        busy.trees.pending_load[1] = 100.0;
        busy.step();
        calm.step();
    }
    assert!(busy.trees.stress[1] > 0.5, "stress {}", busy.trees.stress[1]);
    assert_eq!(calm.trees.stress[1], 0.0);
    assert!(busy.trees.attention_load[1] > busy.trees.attention_capacity[1]);
    assert!(busy.metrics.litter > calm.metrics.litter);
}

#[test]
fn recycling_turns_litter_into_nutrients_at_the_soils_rate() {
    let params =
        Params { soil_rate: 0.1, recycling_efficiency: 0.5, leaching: 0.0, turnover: 0.0, ..Default::default() };
    let mut forest = row(1, 1, params, dark());
    forest.trees.litter[1] = 100.0;
    let nutrients = forest.trees.nutrients[1];
    forest.step();
    // The tree takes some nutrients up to grow; the soil returned 100 * 0.1 * 0.5 = 5.
    assert!((forest.trees.litter[1] - (100.0 - 10.0 + forest.trees.litterfall[1])).abs() < 1e-9);
    assert!(forest.trees.nutrients[1] > nutrients + 4.0, "{} -> {}", nutrients, forest.trees.nutrients[1]);
    assert!((forest.ledger.decomposition_loss - 5.0 - 0.5 * 0.1 * (forest.trees.litter[0] / 0.9)).abs() < 1.0);
}

#[test]
fn without_recycling_litter_piles_up_and_smothers_production() {
    let light = LightConfig { ambient: 1.5, patches: 0, ..dark() };
    let mut living = row(2, 1, Params { soil_rate: 0.2, ..Default::default() }, light.clone());
    let mut dead = row(2, 1, Params { soil_rate: 0.0, ..Default::default() }, light);
    for _ in 0..400 {
        living.step();
        dead.step();
    }
    assert!(dead.metrics.litter > 3.0 * living.metrics.litter);
    assert!(dead.metrics.value_real < living.metrics.value_real);
}

#[test]
fn a_mandate_moves_energy_without_creating_or_destroying_any() {
    let light = LightConfig {
        patches: 1,
        centers: vec![0.1],
        width: 0.1,
        drift: 0.0,
        change: 0.0,
        jump: 0.0,
        ..Default::default()
    };
    let mut forest = row(6, 1, Params::default(), light);
    // A legacy budget: the dark trees far from the light hold most of the energy.
    for i in 4..7 {
        forest.trees.energy[i] = 200.0;
    }
    forest.step();
    forest.intervene(intervene(InterventionKind::Mandate, 0.5, 100));
    let mut moved = 0.0;
    for _ in 0..100 {
        let pool = forest.pool;
        forest.step();
        let net: f64 = forest.trees.mandated.iter().sum();
        assert!((net + (forest.pool - pool)).abs() < 1e-9, "mandate created {}", net + forest.pool - pool);
        assert!(forest.ledger.balances(), "ledger {:?}", forest.ledger);
        moved += forest.trees.mandated.iter().map(|m| m.abs()).sum::<f64>();
    }
    assert!(moved > 0.0, "the mandate moved nothing");
}

#[test]
fn a_reorganization_rewires_links_and_costs_trust() {
    let params = Params { values_clarity: 0.0, ..Default::default() };
    let mut calm = row(12, 1, params, LightConfig::default());
    for _ in 0..100 {
        calm.step();
    }
    let mut reorganized = calm.clone();
    let pairs = |f: &Forest| (0..f.links.len()).map(|l| (f.links.a[l], f.links.b[l])).collect::<Vec<_>>();
    reorganized.intervene(intervene(InterventionKind::Reorganize, 1.0, 0));
    calm.step();
    reorganized.step();
    assert_ne!(pairs(&calm), pairs(&reorganized));
    assert!(reorganized.metrics.trust < calm.metrics.trust, "{} vs {}", reorganized.metrics.trust, calm.metrics.trust);
    assert!(reorganized.trees.pending_load.iter().sum::<f64>() > calm.trees.pending_load.iter().sum::<f64>());
}

#[test]
fn a_target_makes_reported_output_drift_above_real_value() {
    let mut forest = row(6, 1, Params::default(), LightConfig::default());
    for _ in 0..50 {
        forest.step();
    }
    assert_eq!(forest.metrics.value_reported, forest.metrics.value_real);
    forest.intervene(intervene(InterventionKind::Target, 0.5, 200));
    for _ in 0..100 {
        forest.step();
    }
    assert!(forest.metrics.value_reported > forest.metrics.value_real * 1.02);
}

#[test]
fn cutting_the_weakest_turns_their_wood_to_litter() {
    let mut forest = row(10, 1, Params::default(), LightConfig::default());
    for _ in 0..50 {
        forest.step();
    }
    let wood = forest.metrics.biomass;
    forest.intervene(intervene(InterventionKind::CutWeakest, 0.2, 0));
    forest.step();
    assert_eq!(forest.metrics.alive, 9, "two of ten teams cut, the lead cannot be");
    assert!(forest.metrics.biomass < wood);
    assert!(forest.ledger.balances());
    let cut: Vec<usize> = (0..forest.team_count()).filter(|&i| !forest.trees.alive[i]).collect();
    assert!(forest.links.a.iter().chain(&forest.links.b).all(|&t| !cut.contains(&(t as usize))));
}

#[test]
fn a_drought_lowers_production() {
    let mut wet = row(4, 1, Params::default(), LightConfig::default());
    for _ in 0..50 {
        wet.step();
    }
    let mut dry = wet.clone();
    dry.intervene(intervene(InterventionKind::Drought, 1.0, 10));
    wet.step();
    dry.step();
    assert!(dry.metrics.value_real < 0.5 * wet.metrics.value_real);
}

#[test]
fn open_feedback_shortens_delays_and_orders_arrive_after_the_hierarchy_delay() {
    let mut forest = row(3, 8, Params { hop_delay: 4, ..Default::default() }, LightConfig::default());
    forest.step();
    assert_eq!(forest.links.effective_delay[0], 8);
    forest.intervene(intervene(InterventionKind::OpenFeedback, 1.0, 100));
    forest.intervene(intervene(InterventionKind::PushHarder, 0.5, 100));
    let issued = forest.tick;
    forest.step();
    assert_eq!(forest.links.effective_delay[0], 2);
    while forest.trees.push[1] == 0.0 {
        forest.step();
    }
    // One hop from the lead, shortened from 4 to 1 by open feedback.
    assert_eq!(forest.tick - 1 - issued, 1);
}

#[test]
fn trust_widens_links() {
    let mut trusting = row(2, 1, Params { initial_trust: 1.0, ..Default::default() }, LightConfig::default());
    let mut wary = row(2, 1, Params { initial_trust: 0.0, ..Default::default() }, LightConfig::default());
    let mut flow = (0.0, 0.0);
    for _ in 0..100 {
        trusting.step();
        wary.step();
        flow.0 += trusting.links.flow[0].abs();
        flow.1 += wary.links.flow[0].abs();
    }
    assert!(flow.0 > flow.1, "{flow:?}");
}

#[test]
fn growing_connections_adds_links_between_near_trees() {
    let mut forest = row(8, 1, Params::default(), LightConfig::default());
    let before = forest.links.len();
    forest.intervene(intervene(InterventionKind::GrowConnections, 0.5, 0));
    forest.step();
    assert!(forest.links.len() > before);
}

#[test]
fn an_endless_intervention_does_not_overflow() {
    let mut forest = row(3, 1, Params::default(), LightConfig::default());
    forest.intervene(intervene(InterventionKind::CreateSlack, 0.5, u64::MAX));
    for _ in 0..5 {
        forest.step();
    }
    assert_eq!(forest.active.len(), 1, "still in force");
}

#[test]
fn inequality_is_the_hoover_index_of_biomass() {
    let forest_of = |biomass: &[f64]| {
        let teams = biomass
            .iter()
            .enumerate()
            .map(|(i, &b)| TeamInit { biomass: b, ..team(&format!("t{i}"), 0.1 * i as f64, NONE) })
            .collect();
        Forest::new(teams, Vec::new(), Params::default(), dark(), 1).expect("valid forest")
    };
    assert_eq!(forest_of(&[2.0, 2.0, 2.0]).metrics.inequality, 0.0);
    assert!((forest_of(&[0.0, 0.0, 0.0, 10.0]).metrics.inequality - 0.75).abs() < 1e-12);
}
