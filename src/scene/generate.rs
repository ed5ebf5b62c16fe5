//! Synthetic organizations of any size, for trying scale.

use std::collections::{BTreeMap, HashSet};

use super::{LinkSpec, Scene, TeamSpec};
use crate::model::rng::ModelRng;
use crate::model::{LightConfig, Params};

/// The most teams a scene may hold; larger requests are refused before anything is allocated.
pub const MAX_TEAMS: usize = 1_000_000;

/// A forest of `teams` teams with about `links` links: each team linked to near neighbours
/// (roots reach nearby) plus a few long threads; a hierarchy with six reports per manager.
pub fn generate(teams: usize, links: usize, seed: u64) -> Result<Scene, String> {
    if teams == 0 {
        return Err("--teams must be at least 1".into());
    }
    if teams > MAX_TEAMS {
        return Err(format!("--teams {teams} is more than {MAX_TEAMS}: Understory refuses organizations this large"));
    }
    let max_links = teams.saturating_mul(teams - 1) / 2;
    if links > max_links.min(20 * teams) {
        return Err(format!("--links {links} is too many for {teams} teams (at most {})", max_links.min(20 * teams)));
    }
    let mut rng = ModelRng::seeded(seed);
    let width = teams.to_string().len();
    let name = |i: usize| format!("team-{i:0width$}");
    let team_specs: Vec<TeamSpec> = (0..teams)
        .map(|i| TeamSpec {
            name: name(i),
            x: Some(((i as f64 + 0.25 + 0.5 * rng.unit()) / teams as f64).clamp(0.0, 1.0)),
            size: (3.0 + 8.0 * rng.unit()).floor(),
            reports_to: if i == 0 { None } else { Some(name((i - 1) / 6)) },
            biomass: None,
            energy: None,
        })
        .collect();
    let mut pairs = HashSet::with_capacity(links);
    let mut link_specs = Vec::with_capacity(links);
    let mut add = |a: usize, b: usize, delay: u32, link_specs: &mut Vec<LinkSpec>| {
        let key = (a.min(b), a.max(b));
        if a != b && pairs.insert(key) {
            link_specs.push(LinkSpec { a: name(key.0), b: name(key.1), delay, capacity: 1.0 });
            true
        } else {
            false
        }
    };
    // Mostly local roots: gaps of 1, 2, 3... along the ground, then a tenth as long threads.
    let local = links - links / 10;
    'local: for gap in 1..teams {
        for i in 0..teams - gap {
            if link_specs.len() >= local {
                break 'local;
            }
            add(i, i + gap, gap.min(4) as u32, &mut link_specs);
        }
    }
    let mut tries = 0;
    while link_specs.len() < links && tries < links * 50 {
        tries += 1;
        let a = rng.index(teams);
        let b = rng.index(teams);
        add(a, b, 4 + rng.index(5) as u32, &mut link_specs);
    }
    Ok(Scene {
        name: format!("Generated forest of {teams} teams"),
        description: format!("Synthetic organization: {teams} teams, {} links, seed {seed}.", link_specs.len()),
        seed,
        ticks: 1000,
        params: Params::default(),
        light: LightConfig::default(),
        teams: team_specs,
        links: link_specs,
        environment: Vec::new(),
        timelines: BTreeMap::new(),
        default_timeline: None,
    })
}
