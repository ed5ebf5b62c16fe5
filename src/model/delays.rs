//! What the forest remembers so that information can arrive late: the signals each tree sent
//! into its links over the last few ticks, and the reports climbing the hierarchy. Both are
//! sized from the scene before anything runs, so a run's memory is known in advance.

/// What each tree sent into its links at each of the last `len` ticks (a ring; `len` is a
/// power of two at least one more than the slowest link's delay).
pub(crate) type LinkHistory = History<Sent>;

/// What each tree says at each of the last `len` ticks, for its neighbours to hear as late as
/// their links are slow (a ring; `len` is a power of two at least one more than the slowest
/// link's delay).
#[derive(Debug, Clone)]
pub(crate) struct History<T> {
    pub len: usize,
    pub n: usize,
    /// What each tree sent, tick by tick.
    pub sent: Vec<T>,
}

/// What one tree sent into its links in one tick.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Sent {
    /// Usefulness it signalled.
    pub signal: f32,
    /// Light it saw, as its neighbours hear of it.
    pub light: f32,
    /// Where it saw it: where it worked (its position plus its lean), so that a neighbour can
    /// tell which way, and over how far, the light rises.
    pub at: f32,
}

impl<T: Default + Clone> History<T> {
    pub fn new(max_delay: u32, n: usize) -> Self {
        let len = Self::slots(max_delay);
        Self { len, n, sent: vec![T::default(); len * n] }
    }

    fn slots(max_delay: u32) -> usize {
        (max_delay as usize + 1).next_power_of_two().max(2)
    }

    /// Bytes the ring takes for `n` trees and links no slower than `max_delay`.
    pub fn bytes(max_delay: u32, n: usize) -> u64 {
        Self::slots(max_delay) as u64 * n as u64 * size_of::<T>() as u64
    }

    /// Start of the slice written at `tick`.
    pub fn slot(&self, tick: u64) -> usize {
        (tick as usize & (self.len - 1)) * self.n
    }

    /// Start of the slice sent `age` ticks before `tick` (clamped to what is kept). Before the
    /// run has filled the ring, the slices not yet written hold what was sent before the run
    /// (`prime`), so an age that reaches before tick 0 reads that.
    pub fn slot_ago(&self, tick: u64, age: u32) -> usize {
        let age = (age as u64).min(self.len as u64 - 1);
        self.slot(tick.wrapping_sub(age))
    }
}

/// Each tree's reports on their way up the hierarchy: a ring per tree, as long as the tree's
/// reports take to reach the top at the slowest hop delay. A tree `depth` hops down keeps
/// `depth × hop_delay + 1` reports; depths never grow during a run (reorganizations move a
/// team under a manager at the same level, cuts move reports up). A report states three numbers,
/// the team's return on effort, the budget it can spare (above its reserve) and its output per
/// person, each in IEEE half precision (three significant digits, plenty for a summary), so a
/// report takes six bytes; where decisions point by the light (`Params::point_by_light`), a
/// fourth, the light the team sees where it works, kept beside it (two bytes more).
#[derive(Debug, Clone)]
pub(crate) struct ReportLines {
    /// Where each tree's ring starts in `values`, and its length.
    start: Vec<usize>,
    len: Vec<u32>,
    /// Write position of each ring.
    cursor: Vec<u32>,
    values: Vec<Report>,
    /// The light each report states, beside it, in half precision: kept only where decisions
    /// point by the light (`Params::point_by_light`), else empty.
    light: Vec<half::f16>,
}

/// The largest figure a report can state.
const HALF_MAX: f32 = 65504.0;

/// A figure as a report states it: through `f32` first, always (`half` rounds `f64` to half
/// precision directly on some CPUs and through `f32` on others, which can differ; `f32` to half
/// is the same everywhere), and beyond half precision's range as its largest value, never as
/// infinity (an infinite report would make every mean infinite and stop every decision).
#[inline(always)]
fn half_precision(v: f64) -> half::f16 {
    half::f16::from_f32((v as f32).clamp(-HALF_MAX, HALF_MAX))
}

/// One report: a return on effort, the budget the team can spare and the value each person
/// delivered.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Report {
    return_: half::f16,
    spare: half::f16,
    output: half::f16,
}

impl Report {
    /// Each figure in half precision, as [`half_precision`] states it.
    #[inline(always)]
    pub fn new(return_: f64, spare: f64, output: f64) -> Self {
        Self { return_: half_precision(return_), spare: half_precision(spare), output: half_precision(output) }
    }

    pub fn return_(&self) -> f64 {
        self.return_.to_f64()
    }

    pub fn spare(&self) -> f64 {
        self.spare.to_f64()
    }

    pub fn output(&self) -> f64 {
        self.output.to_f64()
    }
}

impl ReportLines {
    /// Rings for trees at `depth`, filled with `initial` (what each tree reported before the run)
    /// and, where reports state the light too, `initial_light`.
    pub fn new(depth: &[u32], hop_delay: u32, initial: &[Report], initial_light: Option<&[f64]>) -> Self {
        let mut start = Vec::with_capacity(depth.len());
        let mut len = Vec::with_capacity(depth.len());
        let mut total = 0usize;
        for &d in depth {
            let l = d * hop_delay + 1;
            start.push(total);
            len.push(l);
            total += l as usize;
        }
        let mut values = vec![Report::default(); total];
        for i in 0..depth.len() {
            values[start[i]..start[i] + len[i] as usize].fill(initial[i]);
        }
        let mut light = Vec::new();
        if let Some(initial_light) = initial_light {
            light = vec![half::f16::ZERO; total];
            for i in 0..depth.len() {
                light[start[i]..start[i] + len[i] as usize].fill(half_precision(initial_light[i]));
            }
        }
        Self { start, len, cursor: vec![0; depth.len()], values, light }
    }

    /// Bytes the rings take for trees at these depths, `with_light` where reports state the
    /// light too (two bytes more a report).
    pub fn bytes(depth: &[u32], hop_delay: u32, with_light: bool) -> u64 {
        let reports: u64 = depth.iter().map(|&d| d as u64 * hop_delay as u64 + 1).sum();
        let each = size_of::<Report>() as u64 + if with_light { size_of::<half::f16>() as u64 } else { 0 };
        reports * each + depth.len() as u64 * 16
    }

    /// Records this tick's report of every tree and, where reports state the light, the light
    /// each states (`light`; ignored where they do not, and may then be empty).
    #[inline(always)]
    pub fn push(&mut self, reports: &[Report], light: &[f64]) {
        let n = self.start.len().min(reports.len());
        let states_light = !self.light.is_empty();
        for i in 0..n {
            let mut c = self.cursor[i] + 1;
            if c == self.len[i] {
                c = 0;
            }
            self.cursor[i] = c;
            let at = self.start[i] + c as usize;
            self.values[at] = reports[i];
            if states_light {
                self.light[at] = half_precision(light[i]);
            }
        }
    }

    /// The light tree `i`'s report stated `age` ticks ago (the oldest kept, if older); 0 where
    /// reports do not state it.
    pub fn light_ago(&self, i: usize, age: u32) -> f64 {
        if self.light.is_empty() {
            return 0.0;
        }
        self.light[self.slot_ago(i, age)].to_f64()
    }

    /// Where in the rings tree `i`'s report of `age` ticks ago sits (the oldest kept, if older).
    fn slot_ago(&self, i: usize, age: u32) -> usize {
        let len = self.len[i];
        let age = age.min(len - 1);
        let c = self.cursor[i];
        let at = if c >= age { c - age } else { c + len - age };
        self.start[i] + at as usize
    }

    /// How many of tree `i`'s reports are kept.
    pub fn kept(&self, i: usize) -> u32 {
        self.len[i]
    }

    /// The report tree `i` sent `age` ticks ago (the oldest kept, if older).
    pub fn ago(&self, i: usize, age: u32) -> Report {
        self.values[self.slot_ago(i, age)]
    }
}

/// Bytes a forest of `n` trees and `m` links needs apart from its signal history and report
/// rings: the per-tree and per-link arrays and the causes kept per tree.
pub(crate) fn fixed_bytes(n: usize, m: usize) -> u64 {
    const PER_TREE: u64 = 1024;
    const PER_LINK: u64 = 96;
    n as u64 * PER_TREE + m as u64 * PER_LINK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_comes_back_exactly_as_old_as_asked() {
        let report = |v: f64| Report::new(v, 2.0 * v, 3.0 * v);
        let mut lines = ReportLines::new(&[0, 1, 3], 2, &[report(0.0); 3], None);
        for tick in 1..=20 {
            let t = tick as f64;
            lines.push(&[report(t), report(10.0 * t), report(100.0 * t)], &[]);
            assert_eq!(lines.ago(0, 0), report(t));
            assert_eq!(lines.ago(1, 2), report(10.0 * (t - 2.0).max(0.0)));
            assert_eq!(lines.ago(2, 6).return_(), 100.0 * (t - 6.0).max(0.0));
            assert_eq!(lines.ago(2, 6).spare(), 200.0 * (t - 6.0).max(0.0));
            assert_eq!(lines.ago(2, 6).output(), 300.0 * (t - 6.0).max(0.0));
            // Older than kept: the oldest kept.
            assert_eq!(lines.ago(2, 60), lines.ago(2, 6));
        }
    }

    #[test]
    fn the_light_a_report_states_comes_back_with_it() {
        let report = |v: f64| Report::new(v, 0.0, 0.0);
        let mut lines = ReportLines::new(&[0, 2], 2, &[report(0.0); 2], Some(&[0.5, 0.25]));
        assert_eq!(lines.light_ago(1, 4), 0.25, "primed");
        for tick in 1..=10 {
            let t = tick as f64;
            lines.push(&[report(t), report(t)], &[t, 2.0 * t]);
            assert_eq!(lines.light_ago(0, 0), t);
            // Four ticks back, or the primed light before the run.
            assert_eq!(lines.light_ago(1, 4), if t > 4.0 { 2.0 * (t - 4.0) } else { 0.25 });
        }
    }

    #[test]
    fn sizes_are_known_before_anything_is_allocated() {
        // A chain of 3,000 teams with 32 ticks a hop keeps 32 × (0 + 1 + ... + 2999) + 3000 reports.
        let depth: Vec<u32> = (0..3000).collect();
        let reports = 32 * 2999 * 3000 / 2 + 3000;
        assert_eq!(size_of::<Report>(), 6);
        assert_eq!(ReportLines::bytes(&depth, 32, false), reports * 6 + 3000 * 16);
        assert_eq!(ReportLines::bytes(&depth, 32, true), reports * 8 + 3000 * 16);
        assert_eq!(LinkHistory::bytes(4, 10), 8 * 10 * 12);
        assert_eq!(History::<f32>::bytes(4, 10), 8 * 10 * 4);
        assert_eq!(LinkHistory::new(4, 10).len, 8);
    }
}
