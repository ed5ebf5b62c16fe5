//! What `run` writes and prints: the CSV of every tick's metrics and a short summary.

use std::io::Write;
use std::path::Path;

use understory::io::write_through_temp;
use understory::run::RunOutput;

/// Writes runs as CSV (through a temporary file). With `seed_column`, a column gives the seed;
/// where the runs are sides of a branched run, the first column says which (`main`, `branch`).
pub fn write_csv(path: &Path, runs: &[RunOutput], seed_column: bool) -> Result<(), String> {
    let branch_column = runs.iter().any(|r| r.branch.is_some());
    write_through_temp(path, |w| {
        if branch_column {
            write!(w, "branch,")?;
        }
        if seed_column {
            write!(w, "seed,")?;
        }
        writeln!(w, "{}", understory::model::COLUMNS.join(","))?;
        for run in runs {
            let side = if run.branch.as_ref().is_some_and(|b| b.is_branch) { "branch" } else { "main" };
            for m in &run.rows {
                if branch_column {
                    write!(w, "{side},")?;
                }
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
    let mut s = match &run.branch {
        Some(b) if b.is_branch => format!("branch from tick {}: ", b.at),
        Some(_) => "main: ".to_string(),
        None => String::new(),
    };
    s += &format!(
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
