//! The benchmarks: model ticks per second on one core for synthetic forests of several sizes,
//! the view's frame time, recording's frame rate against ffmpeg's own, and the long-workshop
//! soak's memory.

use std::fmt::Write;
use std::time::{Duration, Instant};

use understory::model::CpuPath;
use understory::scene::{LoadedScene, generate, to_ron};

/// Timing windows per size; the table gives their median and best.
const WINDOWS: usize = 5;

/// Measures each size for about `seconds` after a short warm-up, in `WINDOWS` windows; returns a table.
/// `cpu` names the compiled variant of a tick to run (`fastest` or a [`CpuPath`] name).
pub fn run(sizes: &[usize], seconds: f64, cpu: &str) -> Result<String, String> {
    if !(seconds > 0.0 && seconds <= 3600.0) {
        return Err(format!("--seconds {seconds} is out of range, expected more than 0 and at most 3600"));
    }
    let path = match cpu {
        "fastest" => CpuPath::fastest(),
        name => CpuPath::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| format!("--cpu {name} is not a variant, expected fastest, portable, avx2 or avx512"))?,
    };
    if !path.is_available() {
        return Err(format!("--cpu {}: this CPU lacks the features that variant is compiled for", path.name()));
    }
    let mut out = format!(
        "Compiled variant of a tick: {} (fastest on this CPU: {})\n\n\
         | teams | links | ticks/s (median of {WINDOWS} windows) | best window |\n|---:|---:|---:|---:|\n",
        path.name(),
        CpuPath::fastest().name()
    );
    for &teams in sizes {
        let scene = generate(teams, teams * 5, 1)?;
        // Through the scene text, as a user's scene would arrive.
        let text = to_ron(&scene).map_err(|e| e.to_string())?;
        let loaded = LoadedScene::from_source("<bench>", &text).map_err(|e| e.to_string())?;
        let mut forest = loaded.forest(None).map_err(|e| e.to_string())?;
        let warm = Instant::now();
        while warm.elapsed() < Duration::from_secs_f64(seconds * 0.2) {
            forest.step_on(path);
        }
        // Other work on a shared machine only ever slows a window down, so the windows' spread
        // says how noisy the machine was; the median is the figure to quote.
        let mut rates: Vec<f64> = (0..WINDOWS)
            .map(|_| {
                let start = Instant::now();
                let mut ticks = 0u64;
                while start.elapsed() < Duration::from_secs_f64(seconds / WINDOWS as f64) {
                    for _ in 0..16 {
                        forest.step_on(path);
                    }
                    ticks += 16;
                }
                ticks as f64 / start.elapsed().as_secs_f64()
            })
            .collect();
        rates.sort_by(f64::total_cmp);
        let _ = writeln!(
            out,
            "| {teams} | {} | {:.0} | {:.0} |",
            forest.links.len(),
            rates[WINDOWS / 2],
            rates[WINDOWS - 1]
        );
    }
    Ok(out)
}

/// One app run's frame timing, as the child process prints it.
#[derive(Debug, Clone, Copy, Default)]
struct FrameTiming {
    mean_ms: f64,
    p95_ms: f64,
    startup_ms: f64,
}

fn parse_frames(output: &str) -> Option<FrameTiming> {
    let line = output.lines().find(|l| l.starts_with("FRAMES "))?;
    let field = |name: &str| -> Option<f64> {
        line.split_whitespace().find_map(|kv| kv.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
    };
    Some(FrameTiming { mean_ms: field("mean_ms")?, p95_ms: field("p95_ms")?, startup_ms: field("startup_ms")? })
}

fn measure_app(extra: &[String], frames: u32, size: (u32, u32)) -> Result<FrameTiming, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program to start it: {e}"))?;
    let mut args: Vec<String> = vec!["open".into()];
    args.extend_from_slice(extra);
    args.extend(["--measure-frames".into(), frames.to_string(), "--size".into(), format!("{}x{}", size.0, size.1)]);
    let out = std::process::Command::new(exe).args(&args).output().map_err(|e| format!("cannot start the app: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    parse_frames(&stdout).ok_or_else(|| {
        format!(
            "the app run `{}` printed no timing (exit {}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).lines().rev().take(5).collect::<Vec<_>>().join(" | ")
        )
    })
}

/// The view benchmark: frame time of the app at each size against an empty Bevy+egui window of the
/// same size, each in its own process, one after another; and startup to first frame.
pub fn view(sizes: &[usize], frames: u32, size: (u32, u32)) -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("understory-bench-view-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    let empty = measure_app(&["--empty".into()], frames, size)?;
    let defaults = measure_app(&["--empty".into(), "--bevy-defaults".into()], frames, size)?;
    let mut out = format!(
        "window {}x{}, {frames} frames each after a warm-up\n\n\
         | view | mean frame ms | p95 ms | × empty, same settings | × empty, Bevy defaults | startup to first frame ms |\n\
         |---|---:|---:|---:|---:|---:|\n",
        size.0, size.1
    );
    let mut row = |name: &str, t: &FrameTiming| {
        let _ = writeln!(
            out,
            "| {name} | {:.2} | {:.2} | {:.2} | {:.2} | {:.0} |",
            t.mean_ms,
            t.p95_ms,
            t.mean_ms / empty.mean_ms,
            t.mean_ms / defaults.mean_ms,
            t.startup_ms
        );
    };
    row("empty Bevy+egui window, the view's settings (no MSAA)", &empty);
    row("empty Bevy+egui window, Bevy's defaults (4x MSAA)", &defaults);
    row("default scene", &measure_app(&[], frames, size)?);
    for &teams in sizes {
        let scene = generate(teams, teams * 5, 1)?;
        let text = to_ron(&scene).map_err(|e| e.to_string())?;
        let path = dir.join(format!("teams-{teams}.ron"));
        std::fs::write(&path, text).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        row(&format!("{teams} teams"), &measure_app(&[path.display().to_string()], frames, size)?);
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(out)
}

/// Runs this program with `args`, returning its stdout, or an error naming the command.
fn run_self(args: &[String]) -> Result<String, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program to start it: {e}"))?;
    let out = std::process::Command::new(exe).args(args).output().map_err(|e| format!("cannot start: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`understory {}` failed ({}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).lines().rev().take(3).collect::<Vec<_>>().join(" | ")
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Frames per second from a `record` summary line ("... in 3.1 s: 38.6 frames/s").
fn recorded_rate(output: &str) -> Option<f64> {
    let line = output.lines().find(|l| l.starts_with("recorded "))?;
    line.rsplit(": ").next()?.strip_suffix(" frames/s")?.trim().parse().ok()
}

/// The recording benchmark: `record` at `size` and 30 fps to an mp4 (capture and encode together)
/// and to raw frames (capture only), beside ffmpeg encoding those same raw frames alone, the floor.
pub fn record(frames: u32, size: (u32, u32), scene: Option<&str>) -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("understory-bench-record-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    let seconds = frames as f64 / 30.0;
    let common = |out: &std::path::Path| -> Vec<String> {
        let mut args = vec!["record".to_string()];
        args.extend(scene.map(str::to_string));
        args.extend([
            "--out".into(),
            out.display().to_string(),
            "--size".into(),
            format!("{}x{}", size.0, size.1),
            "--fps".into(),
            "30".into(),
            "--seconds".into(),
            format!("{seconds}"),
        ]);
        args
    };
    // What any windowed recording at this size is bounded by: an empty window with the view's
    // settings, nothing captured.
    let empty = measure_app(&["--empty".into()], frames.clamp(30, 120), size)?;
    let empty_rate = 1000.0 / empty.mean_ms.max(f64::EPSILON);
    let raw = dir.join("frames.rgba");
    let capture = recorded_rate(&run_self(&common(&raw))?).ok_or("record printed no rate")?;
    let video = dir.join("video.mp4");
    let with_encoding = recorded_rate(&run_self(&common(&video))?).ok_or("record printed no rate")?;
    let start = Instant::now();
    let status = std::process::Command::new("ffmpeg")
        .args(["-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgba", "-s"])
        .arg(format!("{}x{}", size.0, size.1))
        .args(["-r", "30", "-i"])
        .arg(&raw)
        .args(["-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p"])
        .arg(dir.join("floor.mp4"))
        .status()
        .map_err(|e| format!("cannot run ffmpeg: {e}"))?;
    let encode = frames as f64 / start.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&dir);
    if !status.success() {
        return Err(format!("ffmpeg failed encoding the raw frames ({status})"));
    }
    let mut out = format!("{frames} frames at {}x{}, 30 fps\n\n| | frames/s |\n|---|---:|\n", size.0, size.1);
    let _ = writeln!(out, "| `record` to mp4 (capture + H.264) | {with_encoding:.1} |");
    let _ = writeln!(out, "| `record` to raw frames (capture only) | {capture:.1} |");
    let _ = writeln!(out, "| ffmpeg encoding the same raw frames (the floor) | {encode:.1} |");
    let _ = writeln!(out, "| an empty Bevy+egui window of this size, nothing captured | {empty_rate:.1} |");
    let _ = writeln!(
        out,
        "\nmp4 recording runs at {:.0}% of ffmpeg's own rate (goal: at least 50%); an empty window alone \
         renders at {:.0}% of it.",
        100.0 * with_encoding / encode,
        100.0 * empty_rate / encode
    );
    Ok(out)
}

/// One memory sample of a soak run.
#[derive(Debug, Clone, Copy, PartialEq)]
struct SoakSample {
    pass: u32,
    played: u64,
    seconds: f64,
    rss_bytes: u64,
}

fn parse_soak(output: &str) -> Vec<SoakSample> {
    output
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("SOAK ")?;
            let field = |name: &str| rest.split_whitespace().find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='));
            Some(SoakSample {
                pass: field("pass")?.parse().ok()?,
                played: field("played")?.parse().ok()?,
                seconds: field("seconds")?.parse().ok()?,
                rss_bytes: field("rss_bytes")?.parse().ok()?,
            })
        })
        .collect()
}

/// Memory growth allowed after warm-up.
const SOAK_GROWTH_LIMIT: f64 = 0.10;

/// The soak's verdict on one run: memory after warm-up (the first sample `warm` says is past
/// it) against memory at the end.
fn soak_row(name: &str, samples: &[SoakSample], warm: impl Fn(&SoakSample) -> bool) -> Result<(String, f64), String> {
    let after = samples.iter().find(|s| warm(s)).ok_or_else(|| format!("{name}: no memory sample after warm-up"))?;
    let end = samples.last().ok_or_else(|| format!("{name}: no memory samples"))?;
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    let peak = samples.iter().map(|s| s.rss_bytes).max().unwrap_or(0);
    let growth = end.rss_bytes as f64 / after.rss_bytes.max(1) as f64 - 1.0;
    Ok((
        format!(
            "| {name} | {} | {:.1} | {:.1} | {:.1} | {:+.1}% | {:.0} |",
            end.played,
            mib(after.rss_bytes),
            mib(end.rss_bytes),
            mib(peak),
            100.0 * growth,
            end.seconds
        ),
        growth,
    ))
}

/// The long-workshop soak: `large` at 64x in a real window for `ticks` ticks, then `story`
/// played through `passes` times, each in its own process, sampling resident memory. Memory at
/// the end must be within 10% of memory after warm-up (the first tenth of the large run, at
/// least 2,000 ticks; the first pass of the story).
pub fn soak(ticks: u64, passes: u32, size: (u32, u32), large: &str, story: &str) -> Result<String, String> {
    for scene in [large, story] {
        if !std::path::Path::new(scene).is_file() {
            return Err(format!("{scene}: no such scene file (run from the project folder, or name the scenes)"));
        }
    }
    let window = ["--size".to_string(), format!("{}x{}", size.0, size.1)];
    let mut large_args = vec!["open".to_string(), large.to_string(), "--soak-ticks".into(), ticks.to_string()];
    large_args.extend(window.clone());
    let large_samples = parse_soak(&run_self(&large_args)?);
    let mut story_args = vec!["open".to_string(), story.to_string(), "--soak-passes".into(), passes.to_string()];
    story_args.extend(window);
    let story_samples = parse_soak(&run_self(&story_args)?);
    let warm_up = (ticks / 10).max(2_000);
    let (large_row, large_growth) = soak_row(&format!("{large}, 64x"), &large_samples, |s| s.played >= warm_up)?;
    let (story_row, story_growth) =
        soak_row(&format!("{story}, 64x, {passes} passes"), &story_samples, |s| s.pass >= 2)?;
    let mut out = format!(
        "window {}x{}; resident memory after warm-up ({warm_up} ticks of the large scene, the first pass \
         of the story) against the end of the run\n\n\
         | run | ticks played | after warm-up MiB | at the end MiB | peak MiB | change | seconds |\n\
         |---|---:|---:|---:|---:|---:|---:|\n{large_row}\n{story_row}\n",
        size.0, size.1
    );
    let worst = large_growth.max(story_growth);
    let _ = writeln!(out, "\nlargest change {:+.1}% (limit {:+.0}%)", 100.0 * worst, 100.0 * SOAK_GROWTH_LIMIT);
    if worst > SOAK_GROWTH_LIMIT {
        return Err(format!("memory grew more than {:.0}% after warm-up\n\n{out}", 100.0 * SOAK_GROWTH_LIMIT));
    }
    Ok(out)
}

/// Times `understory import` of a synthetic org chart of `rows` people (ids, names in several
/// scripts, a manager each, seven reports a manager), as the command does it: read, group into
/// teams by manager (the costlier grouping: one team per manager, thousands of them), lay out,
/// write the scene text and load it back.
/// The file is written to a temporary folder first and removed after.
pub fn import(rows: u64, repeats: u32) -> Result<(), String> {
    use std::io::Write as _;
    use understory::import::{ImportOptions, import};
    let dir = std::env::temp_dir().join(format!("understory-bench-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    let path = dir.join("org-chart.csv");
    let result = (|| {
        let mut text = String::with_capacity(rows as usize * 48);
        text.push_str("Employee ID,Full Name,Reports To,Title\n");
        const SPAN: u64 = 7;
        const SCRIPTS: [&str; 4] = ["Person", "Müller", "Иванов", "山田"];
        for k in 0..rows {
            let manager = if k == 0 { String::new() } else { format!("E{}", (k - 1) / SPAN) };
            let _ = writeln!(text, "E{k},\"{} {k}\",{manager},Staff", SCRIPTS[(k % 4) as usize]);
        }
        std::fs::File::create(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        let mut seconds = Vec::new();
        let mut made = (0, 0);
        for _ in 0..repeats {
            let start = Instant::now();
            let imported = import(&path, &ImportOptions::default()).map_err(|e| e.to_string())?;
            let (_, loaded) = imported.load("<bench>")?;
            seconds.push(start.elapsed().as_secs_f64());
            made = (loaded.scene.teams.len(), loaded.scene.links.len());
        }
        seconds.sort_by(f64::total_cmp);
        println!(
            "import of {rows} rows (people; {} teams, {} links): median {:.3} s, best {:.3} s over {repeats} runs",
            made.0,
            made.1,
            seconds[seconds.len() / 2],
            seconds[0]
        );
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn child_reports_are_read() {
        let frames = parse_frames("noise\nFRAMES mean_ms=40.5 median_ms=40.0 p95_ms=52.1 startup_ms=180\n").unwrap();
        assert_eq!((frames.mean_ms, frames.p95_ms, frames.startup_ms), (40.5, 52.1, 180.0));
        assert!(parse_frames("no timing here").is_none());
        let line = "recorded 60 frames (2.0 s of video) to out/ in 0.8 s: 71.4 frames/s";
        assert_eq!(recorded_rate(line), Some(71.4));
        assert_eq!(recorded_rate("recording failed"), None);
        let soak = parse_soak("noise\nSOAK pass=2 tick=40 played=1500 seconds=3.5 rss_bytes=1048576\nSOAK broken\n");
        assert_eq!(soak, vec![SoakSample { pass: 2, played: 1500, seconds: 3.5, rss_bytes: 1_048_576 }]);
    }

    #[test]
    fn the_soak_measures_growth_from_the_end_of_warm_up() {
        let at = |played, mib: u64| SoakSample { pass: 1, played, seconds: 0.0, rss_bytes: mib << 20 };
        let samples = [at(0, 50), at(1000, 100), at(2000, 104), at(3000, 110)];
        let (row, growth) = soak_row("t", &samples, |s| s.played >= 1000).unwrap();
        assert!((growth - 0.10).abs() < 1e-9, "{growth}");
        assert!(row.contains("| 100.0 | 110.0 | 110.0 | +10.0% |"), "{row}");
        assert!(soak_row("t", &samples, |s| s.played > 5000).is_err());
    }
}
