//! The model benchmark: ticks per second on one core for synthetic forests of several sizes.

use std::fmt::Write;
use std::time::{Duration, Instant};

use crate::scene::{LoadedScene, generate, to_ron};

/// Measures each size for about `seconds` after a short warm-up; returns a table.
pub fn run(sizes: &[usize], seconds: f64) -> Result<String, String> {
    if !(seconds > 0.0 && seconds <= 3600.0) {
        return Err(format!("--seconds {seconds} is out of range, expected more than 0 and at most 3600"));
    }
    let mut out = String::from("| teams | links | ticks/s |\n|---:|---:|---:|\n");
    for &teams in sizes {
        let scene = generate(teams, teams * 5 / 2, 1)?;
        // Through the scene text, as a user's scene would arrive.
        let text = to_ron(&scene).map_err(|e| e.to_string())?;
        let loaded = LoadedScene::from_source("<bench>", &text).map_err(|e| e.to_string())?;
        let mut forest = loaded.forest(None).map_err(|e| e.to_string())?;
        let warm = Instant::now();
        while warm.elapsed() < Duration::from_secs_f64(seconds * 0.2) {
            forest.step();
        }
        let start = Instant::now();
        let mut ticks = 0u64;
        while start.elapsed() < Duration::from_secs_f64(seconds) {
            for _ in 0..16 {
                forest.step();
            }
            ticks += 16;
        }
        let rate = ticks as f64 / start.elapsed().as_secs_f64();
        let _ = writeln!(out, "| {teams} | {} | {rate:.0} |", forest.links.len());
    }
    Ok(out)
}
