//! Headless runs: a scene, a timeline and a seed in; metrics per tick and resilience out.
//! (Writing them as CSV and summarising them is the command line's: src/bin/understory.)

use crate::model::{Forest, InterventionKind, Metrics, Style};
use crate::scene::{LoadedScene, Timeline};

/// Recovery of vitality after one shock.
#[derive(Debug, Clone, PartialEq)]
pub struct Recovery {
    pub kind: InterventionKind,
    pub tick: u64,
    /// Vitality just before the shock.
    pub before: f64,
    /// Lowest vitality after it.
    pub lowest: f64,
    /// Whether vitality ever fell below 95% of `before`.
    pub dipped: bool,
    /// Ticks from the shock until vitality was back to 95% of `before`; `None` if not in the run.
    pub ticks_to_recover: Option<u64>,
}

/// Everything one headless run produced.
#[derive(Debug, Clone)]
pub struct RunOutput {
    pub seed: u64,
    pub timeline: String,
    pub rows: Vec<Metrics>,
    pub recoveries: Vec<Recovery>,
    /// Set when the run is one side of a branched run.
    pub branch: Option<Branch>,
}

impl RunOutput {
    pub fn last(&self) -> Metrics {
        self.rows.last().copied().unwrap_or_default()
    }
}

/// Steps a forest along a timeline: each tick, the interventions due are issued, then the model steps.
pub fn advance(forest: &mut Forest, timeline: &Timeline) {
    let due: Vec<_> = timeline.interventions_at(forest.tick).cloned().collect();
    for iv in due {
        forest.intervene(iv);
    }
    forest.step();
}

/// Rows and shock recoveries as a run collects them, tick by tick. Cloned with the forest when
/// a run branches, so both futures share everything before the branch.
#[derive(Debug, Clone)]
struct Collector {
    rows: Vec<Metrics>,
    recoveries: Vec<Recovery>,
    vitality: f64,
}

impl Collector {
    fn new(forest: &Forest, ticks: u64) -> Self {
        Self {
            rows: Vec::with_capacity(ticks.min(10_000_000) as usize),
            recoveries: Vec::new(),
            vitality: forest.metrics.vitality,
        }
    }

    /// Issues what is due, steps the forest, and keeps the tick's metrics.
    fn step(&mut self, forest: &mut Forest, timeline: &Timeline) {
        for iv in timeline.interventions_at(forest.tick) {
            if iv.kind.style() == Style::Shock {
                self.recoveries.push(Recovery {
                    kind: iv.kind,
                    tick: forest.tick,
                    before: self.vitality,
                    lowest: self.vitality,
                    dipped: false,
                    ticks_to_recover: None,
                });
            }
        }
        advance(forest, timeline);
        let m = forest.metrics;
        self.vitality = m.vitality;
        for r in self.recoveries.iter_mut().filter(|r| r.ticks_to_recover.is_none()) {
            r.lowest = r.lowest.min(m.vitality);
            if m.vitality < 0.95 * r.before {
                r.dipped = true;
            } else if r.dipped {
                r.ticks_to_recover = Some(m.tick - r.tick);
            }
        }
        self.rows.push(m);
    }

    fn finish(self, seed: u64, timeline: &Timeline, branch: Option<Branch>) -> RunOutput {
        RunOutput { seed, timeline: timeline.name.clone(), rows: self.rows, recoveries: self.recoveries, branch }
    }
}

/// Runs `ticks` ticks headless. `progress` is called with the ticks done so far, now and then.
pub fn run(
    scene: &LoadedScene,
    timeline: &Timeline,
    seed: u64,
    ticks: u64,
    mut progress: impl FnMut(u64),
) -> Result<RunOutput, String> {
    let mut forest = scene.forest(Some(seed)).map_err(|e| format!("{}: {e}", scene.file))?;
    let mut collector = Collector::new(&forest, ticks);
    for done in 0..ticks {
        collector.step(&mut forest, timeline);
        if done % 1024 == 0 {
            progress(done);
        }
    }
    progress(ticks);
    Ok(collector.finish(seed, timeline, None))
}

/// Where a branched run forked, and which side a run is.
#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    /// The tick both futures start from: the same state, random stream and environment.
    pub at: u64,
    /// `false` for the original course, `true` for the branch.
    pub is_branch: bool,
}

/// Runs `main` for `ticks` ticks and, from tick `at`, a copy of the same forest (state, random
/// stream and all) that takes the road of `branch` instead: leadership ends the decisions in
/// force ([`Forest::end_decisions`]) and takes up `branch`'s as of `at`
/// ([`Timeline::taken_over_at`]). Returns (main, branch). The main run is the plain run of
/// `main`, bit for bit; both share every row up to tick `at`, and meet the same shocks from the
/// scene's environment.
pub fn run_branched(
    scene: &LoadedScene,
    main: &Timeline,
    branch: &Timeline,
    at: u64,
    seed: u64,
    ticks: u64,
    mut progress: impl FnMut(u64),
) -> Result<(RunOutput, RunOutput), String> {
    if at > ticks {
        return Err(format!("--branch-at {at} is after the run's last tick ({ticks})"));
    }
    let mut forest = scene.forest(Some(seed)).map_err(|e| format!("{}: {e}", scene.file))?;
    let mut collector = Collector::new(&forest, ticks);
    while forest.tick < at {
        collector.step(&mut forest, main);
        if forest.tick % 1024 == 0 {
            progress(forest.tick);
        }
    }
    // The branch takes its own road from here: leadership ends what the main course had in
    // force and takes up what `branch` would have in force now.
    let mut other = forest.clone();
    other.end_decisions();
    let branch = branch.taken_over_at(at);
    let branch = &branch;
    let mut other_collector = collector.clone();
    while forest.tick < ticks {
        collector.step(&mut forest, main);
        other_collector.step(&mut other, branch);
        if forest.tick % 512 == 0 {
            progress(2 * forest.tick - at);
        }
    }
    progress(2 * ticks - at);
    Ok((
        collector.finish(seed, main, Some(Branch { at, is_branch: false })),
        other_collector.finish(seed, branch, Some(Branch { at, is_branch: true })),
    ))
}
