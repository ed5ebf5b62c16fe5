//! Headless runs: a scene, a timeline and a seed in; metrics per tick and resilience out.

use std::io::Write;
use std::path::Path;

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

/// Writes a file through a temporary file in the same folder, renamed into place, so a failed
/// or interrupted write never leaves a file that looks complete.
pub fn write_through_temp(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> Result<(), String> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(format!("{}: the folder {} does not exist", path.display(), dir.display()));
    }
    let file_name = path.file_name().ok_or_else(|| format!("{}: not a file name", path.display()))?;
    let tmp = dir.join(format!(".{}.{}.tmp", file_name.to_string_lossy(), std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        write(&mut w)?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("{}: cannot write: {e}", path.display())
    })
}

/// Writes runs as CSV (through a temporary file). With `seed_column`, the first column is the seed.
pub fn write_csv(path: &Path, runs: &[RunOutput], seed_column: bool) -> Result<(), String> {
    write_through_temp(path, |w| {
        if seed_column {
            write!(w, "seed,")?;
        }
        writeln!(w, "{}", crate::model::COLUMNS.join(","))?;
        for run in runs {
            for m in &run.rows {
                if seed_column {
                    write!(w, "{},", run.seed)?;
                }
                writeln!(w, "{}", m.csv_fields().join(","))?;
            }
        }
        Ok(())
    })
}

/// A short human summary of a run.
pub fn summary(run: &RunOutput) -> String {
    let m = run.last();
    let mut s = format!(
        "seed {} timeline {} after {} ticks: vitality {:.3}, value_real {:.2}, value_reported {:.2}, trust {:.3}, \
         alignment {:.3}, litter {:.1}, recycled_share {:.2}, feedback_delay {:.1}, overload_share {:.2}, inequality {:.3}",
        run.seed,
        run.timeline,
        run.rows.len(),
        m.vitality,
        m.value_real,
        m.value_reported,
        m.trust,
        m.alignment,
        m.litter,
        m.recycled_share,
        m.feedback_delay,
        m.overload_share,
        m.inequality
    );
    if run.recoveries.is_empty() {
        s.push_str("\n  resilience: no shocks in this run");
    }
    for r in &run.recoveries {
        s.push_str(&format!(
            "\n  resilience: {} at tick {}: vitality {:.3} -> lowest {:.3}, {}",
            r.kind.label(),
            r.tick,
            r.before,
            r.lowest,
            match (r.dipped, r.ticks_to_recover) {
                (false, _) => "never fell below 95% of its level before".to_string(),
                (true, Some(t)) => format!("recovered to 95% in {t} ticks"),
                (true, None) => "not recovered within the run".to_string(),
            }
        ));
    }
    s
}
