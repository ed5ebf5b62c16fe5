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

/// Runs `ticks` ticks headless. `progress` is called with the ticks done so far, now and then.
pub fn run(
    scene: &LoadedScene,
    timeline: &Timeline,
    seed: u64,
    ticks: u64,
    mut progress: impl FnMut(u64),
) -> Result<RunOutput, String> {
    let mut forest = scene.forest(Some(seed)).map_err(|e| format!("{}: {e}", scene.file))?;
    let mut rows = Vec::with_capacity(ticks.min(10_000_000) as usize);
    let mut recoveries: Vec<Recovery> = Vec::new();
    let mut vitality = forest.metrics.vitality;
    for done in 0..ticks {
        for iv in timeline.interventions_at(forest.tick) {
            if iv.kind.style() == Style::Shock {
                recoveries.push(Recovery {
                    kind: iv.kind,
                    tick: forest.tick,
                    before: vitality,
                    lowest: vitality,
                    dipped: false,
                    ticks_to_recover: None,
                });
            }
        }
        advance(&mut forest, timeline);
        let m = forest.metrics;
        vitality = m.vitality;
        for r in recoveries.iter_mut().filter(|r| r.ticks_to_recover.is_none()) {
            r.lowest = r.lowest.min(vitality);
            if vitality < 0.95 * r.before {
                r.dipped = true;
            } else if r.dipped {
                r.ticks_to_recover = Some(m.tick - r.tick);
            }
        }
        rows.push(m);
        if done % 1024 == 0 {
            progress(done);
        }
    }
    progress(ticks);
    Ok(RunOutput { seed, timeline: timeline.name.clone(), rows, recoveries })
}
