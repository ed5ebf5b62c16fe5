//! The `understory` command line: open the app, check scenes, run them headless, generate
//! organizations, benchmark.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

mod bench;
mod report;

use understory::app::soak::SoakLength;
use understory::app::{self, AppOptions};
use understory::io::write_through_temp;
use understory::run::{self, RunOutput};
use understory::scene::{self, LoadedScene};
use understory::text::{agree, counted};

#[derive(Parser)]
#[command(
    name = "understory",
    version,
    about = "An organization shown as a living forest.",
    long_about = "An organization shown as a living forest.\n\nWith no command, opens the app on the built-in \
                  default scene; `understory SCENE` opens SCENE.",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Scene to open in the app (the built-in default when left out).
    scene: Option<PathBuf>,
}

/// Parses `ROLE=Header` for `--columns`.
fn parse_column(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((role, header)) if !role.trim().is_empty() && !header.trim().is_empty() => {
            Ok((role.trim().to_lowercase(), header.trim().to_string()))
        }
        _ => Err(format!("'{text}' is not ROLE=Header, e.g. manager=Reports To")),
    }
}

/// Parses `WIDTHxHEIGHT`.
fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let (w, h) = text.split_once(['x', 'X']).ok_or_else(|| format!("'{text}' is not WIDTHxHEIGHT, e.g. 1280x720"))?;
    let parse = |v: &str| v.trim().parse::<u32>().ok().filter(|v| (64..=8192).contains(v));
    match (parse(w), parse(h)) {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(format!("'{text}': width and height must be whole numbers from 64 to 8192")),
    }
}

#[derive(Subcommand)]
enum Command {
    /// Open the app on a scene (the built-in default when left out).
    Open {
        /// Scene file; the built-in default scene when left out.
        scene: Option<PathBuf>,
        /// Timeline of the scene to follow; the scene's default when left out.
        #[arg(long)]
        timeline: Option<String>,
        /// Seed; the scene's own when left out.
        #[arg(long)]
        seed: Option<u64>,
        /// Save a PNG of the window once the model reaches --after-ticks, then exit.
        #[arg(long)]
        screenshot: Option<PathBuf>,
        /// Model tick at which to take the screenshot.
        #[arg(long, default_value_t = 0, requires = "screenshot")]
        after_ticks: u64,
        /// Window size, WIDTHxHEIGHT in logical pixels.
        #[arg(long, value_parser = parse_size)]
        size: Option<(u32, u32)>,
        /// Select this team and show it in the inspector from the start.
        #[arg(long)]
        inspect: Option<String>,
        /// Start in the projector profile (high contrast, colour-blind safe, large text), as P does.
        #[arg(long)]
        projector: bool,
        /// With two forests (a branch or a comparison), draw the other as a ghost over this
        /// one instead of beside it, as G does.
        #[arg(long)]
        ghost: bool,
        /// Measure this many frames after a warm-up, print the frame times and exit.
        #[arg(long, hide = true)]
        measure_frames: Option<u32>,
        /// An empty window with egui instead of the forest: the frame-time baseline.
        #[arg(long, hide = true)]
        empty: bool,
        /// With --empty: keep Bevy's default camera (4x MSAA, debanding) instead of the view's settings.
        #[arg(long, hide = true, requires = "empty")]
        bevy_defaults: bool,
        /// Play at 64x until this many ticks have been played, printing memory, then exit.
        #[arg(long, hide = true, conflicts_with = "soak_passes")]
        soak_ticks: Option<u64>,
        /// Play at 64x through the timeline this many times, printing memory, then exit.
        #[arg(long, hide = true)]
        soak_passes: Option<u32>,
    },
    /// Open two forests of one scene side by side, same seed, one clock, each following a timeline.
    Compare {
        /// Scene file; the built-in default scene when left out.
        scene: Option<PathBuf>,
        /// Timeline on the left.
        #[arg(long)]
        left: String,
        /// Timeline on the right.
        #[arg(long)]
        right: String,
        /// Metric whose difference (right − left) is plotted.
        #[arg(long, default_value = "vitality")]
        metric: String,
        /// Seed of both forests; the scene's own when left out.
        #[arg(long)]
        seed: Option<u64>,
        /// Window size, WIDTHxHEIGHT.
        #[arg(long, value_parser = parse_size)]
        size: Option<(u32, u32)>,
    },
    /// Render a frame-exact video of a scene: a fixed number of model ticks per frame, captions included.
    Record {
        /// Scene file; the built-in default scene when left out.
        scene: Option<PathBuf>,
        /// An .mp4 (needs ffmpeg on PATH; without it PNGs are written beside it), or a folder
        /// ending in / for a numbered PNG sequence.
        #[arg(long)]
        out: PathBuf,
        /// Frame size, WIDTHxHEIGHT.
        #[arg(long, value_parser = parse_size, default_value = "1280x720")]
        size: (u32, u32),
        /// Frames per second of video.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=240))]
        fps: u32,
        /// Seconds of video; to the end of the timeline when left out.
        #[arg(long)]
        seconds: Option<f64>,
        /// Timeline of the scene to follow; the scene's default when left out.
        #[arg(long)]
        timeline: Option<String>,
        /// Seed; the scene's own when left out.
        #[arg(long)]
        seed: Option<u64>,
        /// Model speed as in the app: the video shows 10 × SPEED ticks per second.
        #[arg(long, default_value_t = 4.0)]
        speed: f64,
        /// Use the projector profile (high contrast, colour-blind safe, large text).
        #[arg(long)]
        projector: bool,
        /// With two forests (a timeline that branches, or --compare), draw the other as a ghost
        /// over this one instead of beside it.
        #[arg(long)]
        ghost: bool,
        /// Seconds of video each chapter that pauses for discussion is held on screen, so its
        /// caption can be read at any speed.
        #[arg(long, default_value_t = 5.0)]
        hold: f64,
        /// Record two forests side by side: --left and --right timelines.
        #[arg(long, requires_all = ["left", "right"])]
        compare: bool,
        /// Left timeline when comparing.
        #[arg(long, requires = "compare", conflicts_with = "timeline")]
        left: Option<String>,
        /// Right timeline when comparing.
        #[arg(long, requires = "compare")]
        right: Option<String>,
    },
    /// Check scene files; print every error (file:line:column) and exit non-zero if any.
    Check {
        /// Scene files (.ron).
        #[arg(required = true)]
        scenes: Vec<PathBuf>,
    },
    /// Run a scene headless and write one CSV row of metrics per tick.
    Run {
        /// Scene file; the built-in default scene when left out.
        scene: Option<PathBuf>,
        /// Ticks to run; the scene's own length when left out.
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        ticks: Option<u64>,
        /// Seed; the scene's own when left out.
        #[arg(long)]
        seed: Option<u64>,
        /// Run seeds SEED..SEED+K-1 in parallel; the CSV gains a `seed` column.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=100_000))]
        seeds: u64,
        /// Write the metrics here (CSV).
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Timeline of the scene to follow; the scene's default when left out.
        #[arg(long)]
        timeline: Option<String>,
        /// Fork the run at this tick: a copy of the forest (same state, same random stream)
        /// follows --branch-timeline from here on. The CSV gains a first column `branch`
        /// (`main`, `branch`). A timeline with a `Branch` entry forks there by itself.
        #[arg(long, requires = "branch_timeline")]
        branch_at: Option<u64>,
        /// The timeline the branch follows from --branch-at on.
        #[arg(long, requires = "branch_at")]
        branch_timeline: Option<String>,
    },
    /// Write a synthetic organization as a scene, for trying scale.
    Generate {
        /// Number of teams (1 to 1,000,000).
        #[arg(long)]
        teams: usize,
        /// Number of links; 2.5 per team (five links each) when left out.
        #[arg(long)]
        links: Option<usize>,
        /// Seed of the teams' places and sizes and of the long links; also the scene's seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write the scene.
        #[arg(long)]
        out: PathBuf,
    },
    /// Make a scene from an org chart (CSV) and, optionally, a communication network (GraphML,
    /// GEXF or an edge-list CSV), with the timelines hands-off, command and stewardship.
    Import {
        /// The org chart: CSV (comma, semicolon or tab), or a network file on its own.
        org: PathBuf,
        /// A communication network whose edges become the links: GraphML, GEXF or an edge list
        /// (`source,target[,weight]`).
        #[arg(long)]
        links: Option<PathBuf>,
        /// Where to write the scene (.ron).
        #[arg(long)]
        out: PathBuf,
        /// Columns named by hand, e.g. `name=Full Name,manager=Line Manager,size=FTE,group=Dept`
        /// (keys: id, name, first, last, manager, group, size, title).
        #[arg(long, value_delimiter = ',', value_parser = parse_column)]
        columns: Vec<(String, String)>,
        /// Each row is a person: people are grouped into teams.
        #[arg(long, conflicts_with = "teams")]
        people: bool,
        /// Each row is a team, its size from the headcount column.
        #[arg(long)]
        teams: bool,
        /// Replace every name with a stable pseudonym.
        #[arg(long)]
        anonymize: bool,
    },
    /// Run a scene to a tick and print every tree's state there, with the causes that reached it.
    Inspect {
        /// Scene file; the built-in default scene when left out.
        scene: Option<PathBuf>,
        /// Tick to stop at (0 to 100,000,000, the most `run` takes).
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(0..=100_000_000))]
        tick: u64,
        /// Seed; the scene's own when left out.
        #[arg(long)]
        seed: Option<u64>,
        /// Timeline of the scene to follow; the scene's default when left out.
        #[arg(long)]
        timeline: Option<String>,
    },
    /// Measure model ticks per second on one core at several sizes.
    Bench {
        /// Team counts to measure.
        #[arg(long, value_delimiter = ',', default_values_t = [100usize, 1_000, 10_000])]
        teams: Vec<usize>,
        /// Seconds to measure each size for.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
        /// Compiled variant of a tick to measure: the widest this CPU runs, or one by name.
        #[arg(long, default_value = "fastest", value_parser = ["fastest", "portable", "avx2", "avx512"])]
        cpu: String,
    },
    /// Measure importing an org chart of many rows (written to a temporary folder first).
    BenchImport {
        /// Rows of the org chart (people).
        #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(10..=1_000_000))]
        rows: u64,
        /// Times to import it; the median is reported.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
        repeats: u32,
    },
    /// Measure recording speed against ffmpeg's own encode rate (needs a display and ffmpeg).
    BenchRecord {
        /// Frames to record.
        #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(10..=100_000))]
        frames: u32,
        /// Frame size, WIDTHxHEIGHT.
        #[arg(long, value_parser = parse_size, default_value = "1920x1080")]
        size: (u32, u32),
        /// Scene to record; the built-in default when left out.
        scene: Option<String>,
    },
    /// A long workshop: the large scene at 64x in a real window, then the story played through
    /// again and again, sampling memory; fails if memory grows more than 10% after warm-up
    /// (needs a display).
    BenchSoak {
        /// Ticks of the large scene to play.
        #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u64).range(4_000..))]
        ticks: u64,
        /// Passes through the story.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(2..=1_000))]
        passes: u32,
        /// Window size, WIDTHxHEIGHT.
        #[arg(long, value_parser = parse_size, default_value = "1280x720")]
        size: (u32, u32),
        /// The large scene.
        #[arg(long, default_value = "scenes/large-changing.ron")]
        large: String,
        /// The story.
        #[arg(long, default_value = "scenes/story-command-vs-conditions.ron")]
        story: String,
    },
    /// Measure the app's frame time at several sizes against an empty Bevy+egui window (needs a display).
    BenchView {
        /// Team counts to measure.
        #[arg(long, value_delimiter = ',', default_values_t = [500usize, 5_000])]
        teams: Vec<usize>,
        /// Frames measured per run, after a warm-up.
        #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(10..=100_000))]
        frames: u32,
        /// Window size, WIDTHxHEIGHT.
        #[arg(long, value_parser = parse_size, default_value = "1280x720")]
        size: (u32, u32),
    },
}

fn main() -> ExitCode {
    let started = Instant::now();
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Open {
            scene,
            timeline,
            seed,
            screenshot,
            after_ticks,
            size,
            inspect,
            projector,
            ghost,
            measure_frames,
            empty,
            bevy_defaults,
            soak_ticks,
            soak_passes,
        }) => app::run(AppOptions {
            scene,
            timeline,
            seed,
            screenshot,
            after_ticks,
            size: size.unwrap_or((0, 0)),
            measure_frames,
            empty,
            empty_with_bevy_defaults: bevy_defaults,
            inspect,
            projector,
            ghost,
            started: Some(started),
            soak: soak_ticks.map(SoakLength::Ticks).or(soak_passes.map(SoakLength::Passes)),
            ..Default::default()
        }),
        Some(Command::Record {
            scene,
            out,
            size,
            fps,
            seconds,
            timeline,
            seed,
            speed,
            projector,
            ghost,
            hold,
            compare: _,
            left,
            right,
        }) => record(
            scene,
            out,
            size,
            fps,
            seconds,
            left.or(timeline),
            right,
            seed,
            speed,
            (projector, ghost),
            hold,
            started,
        ),
        Some(Command::Compare { scene, left, right, metric, seed, size }) => check_metric(&metric).and_then(|()| {
            app::run(AppOptions {
                scene,
                timeline: Some(left),
                compare: Some(right),
                metric: Some(metric),
                seed,
                size: size.unwrap_or((0, 0)),
                started: Some(started),
                ..Default::default()
            })
        }),
        Some(Command::Check { scenes }) => check(&scenes),
        Some(Command::Run { scene, ticks, seed, seeds, csv, timeline, branch_at, branch_timeline }) => {
            let branch = branch_at.zip(branch_timeline);
            run_headless(scene, ticks, seed, seeds, csv, timeline, branch)
        }
        Some(Command::Generate { teams, links, seed, out }) => generate(teams, links, seed, out),
        Some(Command::Import { org, links, out, columns, people, teams, anonymize }) => {
            import(org, links, out, columns, people, teams, anonymize)
        }
        Some(Command::BenchImport { rows, repeats }) => bench::import(rows, repeats),
        Some(Command::Inspect { scene, tick, seed, timeline }) => inspect(scene, tick, seed, timeline),
        Some(Command::Bench { teams, seconds, cpu }) => {
            bench::run(&teams, seconds, &cpu).map(|report| println!("{report}"))
        }
        Some(Command::BenchRecord { frames, size, scene }) => {
            bench::record(frames, size, scene.as_deref()).map(|report| println!("{report}"))
        }
        Some(Command::BenchSoak { ticks, passes, size, large, story }) => {
            bench::soak(ticks, passes, size, &large, &story).map(|report| println!("{report}"))
        }
        Some(Command::BenchView { teams, frames, size }) => {
            bench::view(&teams, frames, size).map(|report| println!("{report}"))
        }
        None => app::run(AppOptions { scene: cli.scene, started: Some(started), ..Default::default() }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn record(
    scene: Option<PathBuf>,
    out: PathBuf,
    size: (u32, u32),
    fps: u32,
    seconds: Option<f64>,
    timeline: Option<String>,
    compare: Option<String>,
    seed: Option<u64>,
    speed: f64,
    (projector, ghost): (bool, bool),
    hold: f64,
    started: Instant,
) -> Result<(), String> {
    if !(speed > 0.0 && speed <= 1000.0) {
        return Err(format!("--speed {speed} is out of range, expected more than 0 and at most 1000"));
    }
    if !(0.0..=600.0).contains(&hold) {
        return Err(format!("--hold {hold} is out of range, expected 0 to 600 seconds"));
    }
    let frames = match seconds {
        Some(s) if s > 0.0 && s <= 24.0 * 3600.0 => Some((s * fps as f64).round().max(1.0) as u64),
        Some(s) => return Err(format!("--seconds {s} is out of range, expected more than 0 and at most a day")),
        None => None,
    };
    let (output, note) = app::record::Output::choose(&out);
    if let Some(note) = note {
        eprintln!("note: {note}");
    }
    let mut size = size;
    if let app::record::Output::Video(path) = &output {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            return Err(format!("{}: the folder {} does not exist", path.display(), dir.display()));
        }
        // H.264 in yuv420p needs even sizes: round down and say so, before any window opens.
        let even = (size.0 & !1, size.1 & !1);
        if even != size {
            eprintln!(
                "note: {}x{} is recorded as {}x{}: H.264 video needs even sizes (use --out FOLDER/ for PNGs at {}x{})",
                size.0, size.1, even.0, even.1, size.0, size.1
            );
            size = even;
        }
        // Ctrl-C leaves no half-written video behind.
        let partial = app::record::partial_path(path);
        let _ = ctrlc::set_handler(move || {
            let _ = std::fs::remove_file(&partial);
            eprintln!("\ninterrupted: the recording was stopped and no video was written");
            std::process::exit(130);
        });
    }
    eprintln!("recording to {}", output.describe());
    app::run(AppOptions {
        scene,
        timeline,
        seed,
        size,
        record: Some(app::record::RecordConfig {
            output,
            fps,
            ticks_per_frame: speed * app::sim::TICKS_PER_SECOND / fps as f64,
            frames,
            exit_when_done: true,
            progress: true,
            hold_frames: (hold * fps as f64).round() as u64,
        }),
        projector,
        ghost,
        compare,
        started: Some(started),
        ..Default::default()
    })
}

fn check_metric(metric: &str) -> Result<(), String> {
    if understory::model::Metrics::default().get(metric).is_some() && metric != "tick" {
        Ok(())
    } else {
        Err(format!(
            "--metric {metric} is not a metric; expected one of: {}",
            understory::model::COLUMNS[1..].join(", ")
        ))
    }
}

fn check(paths: &[PathBuf]) -> Result<(), String> {
    let mut failed = 0;
    for path in paths {
        match LoadedScene::from_path(path) {
            Ok(s) => {
                println!("ok: {} ({})", path.display(), contents(&s));
                // What the scene assumes beyond the model, for a room to see before it disputes a result.
                let set = s.scene.params.assumptions();
                if !set.is_empty() {
                    println!("  parameters away from the model's defaults: {set}");
                }
                for warning in &s.warnings {
                    eprintln!("warning: {warning}");
                }
            }
            Err(errors) => {
                failed += 1;
                eprintln!("{errors}");
            }
        }
    }
    if failed > 0 { Err(format!("{failed} of {} scenes failed the check", paths.len())) } else { Ok(()) }
}

/// What a scene holds, as `check` and `import` say it: its teams, links and timelines.
fn contents(s: &LoadedScene) -> String {
    format!(
        "{}, {}, timelines: {}",
        counted(s.scene.teams.len(), "team", "teams"),
        counted(s.scene.links.len(), "link", "links"),
        timeline_names(s)
    )
}

fn timeline_names(s: &LoadedScene) -> String {
    if s.scene.timelines.is_empty() {
        "none".into()
    } else {
        s.scene.timelines.keys().cloned().collect::<Vec<_>>().join(", ")
    }
}

fn load(scene: Option<PathBuf>) -> Result<LoadedScene, String> {
    match scene {
        Some(path) => LoadedScene::from_path(&path).map_err(|e| e.to_string()),
        None => Ok(LoadedScene::builtin_default()),
    }
}

/// `run`: one or more seeds in parallel, each optionally forked at a tick into a branch.
fn run_headless(
    scene: Option<PathBuf>,
    ticks: Option<u64>,
    seed: Option<u64>,
    seeds: u64,
    csv: Option<PathBuf>,
    timeline: Option<String>,
    branch: Option<(u64, String)>,
) -> Result<(), String> {
    let loaded = load(scene)?;
    let timeline = loaded.timeline(timeline.as_deref())?;
    // A branch asked for on the command line, else the timeline's own scripted one.
    let branch = match branch {
        Some((at, name)) => Some((at, loaded.timeline(Some(&name)).map_err(|e| format!("--branch-timeline: {e}"))?)),
        None => timeline.branch.as_ref().map(|b| (b.tick, (*b.timeline).clone())),
    };
    let ticks = ticks.unwrap_or(loaded.scene.ticks);
    let unreached = |t: &understory::scene::Timeline| t.events.iter().filter(|(at, _)| *at >= ticks).count();
    // Each side of a branched run counts its own: both meet the environment's events.
    let beyond = unreached(&timeline);
    let branch_beyond = branch.as_ref().map_or(0, |(_, other)| unreached(other));
    if beyond + branch_beyond > 0 {
        let of_branch =
            if branch.is_some() { format!(" (and {branch_beyond} of the branch's)") } else { String::new() };
        eprintln!(
            "note: {beyond} of the timeline's events{of_branch} {} at tick {ticks} or later, which a run of {ticks} ticks does not reach (--ticks runs longer)",
            agree(beyond + branch_beyond, "comes", "come")
        );
    }
    // A run longer than a timeline's standing decisions measures, past their end, a forest led
    // and then left alone: say so, as for events a short run does not reach.
    let ended = |t: &understory::scene::Timeline| t.decisions_end().filter(|&end| end < ticks);
    if let Some(end) = ended(&timeline) {
        eprintln!(
            "note: the timeline's standing decisions end by tick {end}; from there to tick {ticks} the forest runs without them"
        );
    }
    if let Some(end) = branch.as_ref().and_then(|(_, other)| ended(other)) {
        eprintln!(
            "note: the branch's standing decisions end by tick {end}; from there to tick {ticks} its forest runs without them"
        );
    }
    let first = seed.unwrap_or(loaded.scene.seed);
    let last = first.checked_add(seeds - 1).ok_or("--seed plus --seeds overflows")?;
    let sides = if branch.is_some() { 2 } else { 1 };
    let total = ticks.saturating_mul(seeds).saturating_mul(sides);
    // Rows are kept in memory until the CSV is written whole.
    const MAX_ROWS: u64 = 20_000_000;
    if total > MAX_ROWS {
        return Err(format!(
            "--ticks {ticks} × --seeds {seeds}{} is {total} rows; at most {MAX_ROWS} per run, split the run",
            if sides > 1 { " × 2 sides of the branch" } else { "" }
        ));
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} ticks  {per_sec}  eta {eta}").map_err(|e| e.to_string())?,
    );
    if total < 20_000 {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let runs: Vec<Vec<RunOutput>> = (first..=last)
        .into_par_iter()
        .map(|s| {
            let mut reported = 0;
            let progress = |done: u64| {
                bar.inc(done - reported);
                reported = done;
            };
            match &branch {
                Some((at, other)) => {
                    run::run_branched(&loaded, &timeline, other, *at, s, ticks, progress).map(|(a, b)| vec![a, b])
                }
                None => run::run(&loaded, &timeline, s, ticks, progress).map(|r| vec![r]),
            }
        })
        .collect::<Result<_, _>>()?;
    let runs: Vec<RunOutput> = runs.into_iter().flatten().collect();
    bar.finish_and_clear();
    if let Some(path) = &csv {
        report::write_csv(path, &runs, seeds > 1)?;
    }
    println!("scene: {}", loaded.scene.name);
    for r in &runs {
        println!("{}", report::summary(r));
    }
    if let Some(path) = csv {
        println!("wrote {} rows to {}", runs.iter().map(|r| r.rows.len()).sum::<usize>(), path.display());
    }
    Ok(())
}

fn generate(teams: usize, links: Option<usize>, seed: u64, out: PathBuf) -> Result<(), String> {
    let links = links.unwrap_or(teams.saturating_mul(5) / 2);
    let scene = scene::generate(teams, links, seed)?;
    let text = scene::to_ron(&scene).map_err(|e| format!("cannot write the scene: {e}"))?;
    write_through_temp(&out, |w| w.write_all(text.as_bytes()))?;
    println!(
        "wrote {} ({}, {})",
        out.display(),
        counted(scene.teams.len(), "team", "teams"),
        counted(scene.links.len(), "link", "links")
    );
    Ok(())
}

fn import(
    org: PathBuf,
    links: Option<PathBuf>,
    out: PathBuf,
    columns: Vec<(String, String)>,
    people: bool,
    teams: bool,
    anonymize: bool,
) -> Result<(), String> {
    use understory::import::{ImportOptions, RowKind};
    let rows = match (people, teams) {
        (true, _) => RowKind::People,
        (_, true) => RowKind::Teams,
        _ => RowKind::Auto,
    };
    let options = ImportOptions { links, columns, rows, anonymize };
    let imported = understory::import::import(&org, &options).map_err(|e| e.to_string())?;
    // What is written must load as it will be opened: checked before anything is written.
    let (text, loaded) = imported.load(&out.display().to_string())?;
    write_through_temp(&out, |w| w.write_all(text.as_bytes()))?;
    for note in &imported.notes {
        println!("- {note}");
    }
    println!("wrote {} ({})", out.display(), contents(&loaded));
    Ok(())
}

fn inspect(scene: Option<PathBuf>, tick: u64, seed: Option<u64>, timeline: Option<String>) -> Result<(), String> {
    let loaded = load(scene)?;
    let timeline = loaded.timeline(timeline.as_deref())?;
    let mut forest = loaded.forest(seed).map_err(|e| e.to_string())?;
    while forest.tick < tick {
        run::advance(&mut forest, &timeline);
    }
    println!("{}", understory::model::describe(&forest));
    Ok(())
}
