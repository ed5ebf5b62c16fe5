//! Where an imported organization's teams stand along the ground, how slow its links are, and
//! the light and parameters a forest of its size gets.

use crate::model::{LightConfig, MAX_DELAY, Params};

/// Reporting depth of each team (0 for a team that reports to nobody). `parent` has no cycles.
pub fn depths(parent: &[Option<usize>]) -> Vec<u32> {
    let mut depth = vec![u32::MAX; parent.len()];
    let mut chain = Vec::new();
    for start in 0..parent.len() {
        chain.clear();
        let mut at = start;
        while depth[at] == u32::MAX {
            match parent[at] {
                Some(p) => {
                    chain.push(at);
                    at = p;
                }
                None => depth[at] = 0,
            }
        }
        let mut d = depth[at];
        for &k in chain.iter().rev() {
            d += 1;
            depth[k] = d;
        }
    }
    depth
}

/// Hops between two teams through the hierarchy (up to their nearest common manager and down);
/// teams under different heads are as far apart as going over the top of both.
pub fn tree_distance(parent: &[Option<usize>], depth: &[u32], a: usize, b: usize) -> u32 {
    let (mut x, mut y, mut hops) = (a, b, 0u32);
    while depth[x] > depth[y] {
        x = parent[x].expect("deeper than zero has a parent");
        hops += 1;
    }
    while depth[y] > depth[x] {
        y = parent[y].expect("deeper than zero has a parent");
        hops += 1;
    }
    while x != y {
        match (parent[x], parent[y]) {
            (Some(px), Some(py)) => {
                x = px;
                y = py;
                hops += 2;
            }
            _ => return hops + 2,
        }
    }
    hops
}

/// The rule for a link's delay, as the scene states it.
pub const DELAY_RULE: &str = "a link's delay is 1 tick plus 1 for every two hops between its teams through the hierarchy (teams under different heads: over the top of both), at most 12";

/// A link's delay from the hops between its teams.
pub fn delay_for(hops: u32) -> u32 {
    (1 + hops.div_ceil(2)).clamp(1, 12.min(MAX_DELAY))
}

/// Positions along the ground, 0 to 1: depth first, each manager standing among its teams so a
/// manager's teams stay together; siblings ordered by where their links lead; each team taking
/// room by its size, with wider gaps between groups than within one, so the forest stands in
/// groves rather than as a comb.
pub fn positions(parent: &[Option<usize>], sizes: &[f64], links: &[(usize, usize)]) -> Vec<f64> {
    let n = parent.len();
    if n == 0 {
        return Vec::new();
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for (k, p) in parent.iter().enumerate() {
        match p {
            Some(p) => children[*p].push(k),
            None => roots.push(k),
        }
    }
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in links {
        neighbours[a].push(b);
        neighbours[b].push(a);
    }
    let mut x = place(&roots, &children, parent, sizes);
    // Twice: siblings sorted by the mean position of their link partners, then placed again.
    for _ in 0..2 {
        let pull = |k: usize, x: &[f64]| -> f64 {
            let partners = &neighbours[k];
            if partners.is_empty() { x[k] } else { partners.iter().map(|&p| x[p]).sum::<f64>() / partners.len() as f64 }
        };
        for list in children.iter_mut().chain(std::iter::once(&mut roots)) {
            let mut keyed: Vec<(f64, f64, usize)> =
                list.iter().map(|&k| (0.5 * pull(k, &x) + 0.5 * x[k], x[k], k)).collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            *list = keyed.into_iter().map(|(_, _, k)| k).collect();
        }
        x = place(&roots, &children, parent, sizes);
    }
    x
}

/// Lays teams out in order (a manager in the middle of its children), returns 0-to-1 positions.
fn place(roots: &[usize], children: &[Vec<usize>], parent: &[Option<usize>], sizes: &[f64]) -> Vec<f64> {
    let n = parent.len();
    let mut order = Vec::with_capacity(n);
    // Depth first without recursion: (team, whether its children are already pushed).
    let mut stack: Vec<(usize, bool)> = roots.iter().rev().map(|&r| (r, false)).collect();
    while let Some((k, expanded)) = stack.pop() {
        if expanded || children[k].is_empty() {
            order.push(k);
            continue;
        }
        let kids = &children[k];
        let half = kids.len() / 2;
        // Pushed in reverse: the first half, then the manager, then the rest.
        for &c in kids[half..].iter().rev() {
            stack.push((c, false));
        }
        stack.push((k, true));
        for &c in kids[..half].iter().rev() {
            stack.push((c, false));
        }
    }
    let width = |k: usize| sizes[k].max(1.0).sqrt();
    let mean = (0..n).map(width).sum::<f64>() / n as f64;
    let mut at = vec![0.0; n];
    let mut cursor = 0.0;
    for (i, &k) in order.iter().enumerate() {
        if i > 0 {
            let before = order[i - 1];
            let gap = if parent[before] == parent[k] || parent[k] == Some(before) || parent[before] == Some(k) {
                0.35
            } else {
                let grand = |t: usize| parent[t].and_then(|p| parent[p]);
                if grand(before).is_some() && grand(before) == grand(k) { 1.2 } else { 2.4 }
            };
            cursor += 0.5 * width(before) + gap * mean + 0.5 * width(k);
        }
        at[k] = cursor;
    }
    let span = cursor.max(1e-9);
    let margin = 0.02;
    at.iter().map(|&v| if n == 1 { 0.5 } else { margin + (1.0 - 2.0 * margin) * v / span }).collect()
}

/// Light for a forest of `teams` teams: more, narrower opportunities for a larger one.
pub fn light_for(teams: usize) -> LightConfig {
    let patches = ((teams as f64).cbrt().round() as u32).clamp(2, 6);
    LightConfig { patches, width: (0.3 / patches as f64).clamp(0.04, 0.12), drift: 0.001, ..LightConfig::default() }
}

/// Parameters for a forest of `teams` teams and `levels` levels: a hop of the hierarchy takes
/// longer in a larger organization.
pub fn params_for(teams: usize) -> Params {
    let hop_delay = match teams {
        0..30 => 2,
        30..300 => 3,
        _ => 4,
    };
    Params { hop_delay, ..Params::default() }
}

/// Run length for `levels` levels of hierarchy: long enough for several round trips of a report.
pub fn ticks_for(teams: usize) -> u64 {
    if teams < 300 { 1000 } else { 1500 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_and_distance_follow_the_hierarchy() {
        // 0 heads 1 and 2; 1 heads 3; 4 stands alone.
        let parent = [None, Some(0), Some(0), Some(1), None];
        let depth = depths(&parent);
        assert_eq!(depth, [0, 1, 1, 2, 0]);
        assert_eq!(tree_distance(&parent, &depth, 1, 2), 2);
        assert_eq!(tree_distance(&parent, &depth, 3, 2), 3);
        assert_eq!(tree_distance(&parent, &depth, 3, 0), 2);
        assert_eq!(tree_distance(&parent, &depth, 3, 4), 4, "over the top of both heads");
        assert_eq!([delay_for(1), delay_for(2), delay_for(3), delay_for(40)], [2, 2, 3, 12]);
    }

    #[test]
    fn a_managers_teams_stand_together_with_the_manager_among_them() {
        // Two managers (1, 2) under 0, each with three teams.
        let parent = [None, Some(0), Some(0), Some(1), Some(1), Some(1), Some(2), Some(2), Some(2)];
        let x = positions(&parent, &[4.0; 9], &[]);
        let span = |ks: &[usize]| {
            (ks.iter().map(|&k| x[k]).fold(f64::MAX, f64::min), ks.iter().map(|&k| x[k]).fold(f64::MIN, f64::max))
        };
        let (a0, a1) = span(&[1, 3, 4, 5]);
        let (b0, b1) = span(&[2, 6, 7, 8]);
        assert!(a1 < b0 || b1 < a0, "the two groups do not interleave: {x:?}");
        assert!(x[1] > a0 && x[1] < a1, "the manager stands among its teams");
        assert!(x.iter().all(|v| (0.0..=1.0).contains(v)));
        // Wider gaps between the groups than within one: groves, not a comb.
        let mut sorted = x.clone();
        sorted.sort_by(f64::total_cmp);
        let gaps: Vec<f64> = sorted.windows(2).map(|w| w[1] - w[0]).collect();
        let (least, most) = (gaps.iter().cloned().fold(f64::MAX, f64::min), gaps.iter().cloned().fold(0.0, f64::max));
        assert!(most > 2.0 * least, "{gaps:?}");
    }

    #[test]
    fn linked_siblings_stand_near_each_other() {
        // Root 0 with children 1..=4; 1 is linked to 4 only.
        let parent = [None, Some(0), Some(0), Some(0), Some(0)];
        let x = positions(&parent, &[4.0; 5], &[(1, 4)]);
        let d = |a: usize, b: usize| (x[a] - x[b]).abs();
        assert!(d(1, 4) <= d(1, 2).max(d(1, 3)), "{x:?}");
    }
}
