//! The command line as a user meets it: exit codes, one-line errors, CSV files, generation.

use std::process::Command;

fn understory(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_understory")).args(args).output().expect("the binary runs");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("understory-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn help_is_there_for_every_command() {
    for cmd in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["run", "--help"],
        vec!["generate", "--help"],
        vec!["bench", "--help"],
        vec!["inspect", "--help"],
        vec!["open", "--help"],
        vec!["record", "--help"],
        vec!["compare", "--help"],
        vec!["bench-view", "--help"],
        vec!["bench-record", "--help"],
        vec!["import", "--help"],
        vec!["bench-import", "--help"],
    ] {
        let (ok, out, _) = understory(&cmd);
        assert!(ok && out.contains("Usage"), "{cmd:?}: {out}");
    }
}

#[test]
fn check_passes_the_shipped_scenes_and_fails_a_bad_one_with_its_position() {
    let (ok, out, err) = understory(&["check", "scenes/default.ron", "scenes/small-stable.ron"]);
    assert!(ok, "{out}{err}");
    // What a scene assumes beyond the model is said, with the model's default beside it.
    let (ok, out, err) = understory(&["check", "scenes/small-stable-shared.ron"]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("parameters away from the model's defaults:") && out.contains("crowding 0.3 (default 0)"),
        "{out}"
    );
    let dir = temp_dir("check");
    let bad = dir.join("bad.ron");
    std::fs::write(&bad, "Scene(\n  name: \"x\",\n  teams: [(name: \"a\", size: -1)],\n)").unwrap();
    let (ok, _, err) = understory(&["check", "scenes/default.ron", bad.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("bad.ron:3:"), "{err}");
    assert!(err.contains("1 of 2 scenes failed"), "{err}");
    let late = dir.join("late.ron");
    std::fs::write(&late, "Scene(\n  name: \"x\",\n  ticks: 10,\n  teams: [(name: \"a\")],\n  environment: [Shock(tick: 10, kind: Storm)],\n)").unwrap();
    let (ok, out, err) = understory(&["check", late.to_str().unwrap()]);
    assert!(ok, "a late entry is a warning, not a failure: {out}{err}");
    assert!(out.contains("ok:"), "{out}");
    assert!(err.contains("warning: ") && err.contains("late.ron:5:23: environment entry 1: tick 10"), "{err}");
}

#[test]
fn a_run_too_short_for_its_timeline_says_what_it_does_not_reach() {
    let (ok, _, err) = understory(&["run", "scenes/default.ron", "--ticks", "100", "--timeline", "command"]);
    assert!(ok, "a short run is allowed: {err}");
    assert!(err.contains("note: ") && err.contains("of the timeline's events come at tick 100 or later"), "{err}");
    let (ok, _, err) = understory(&[
        "run",
        "scenes/default.ron",
        "--ticks",
        "100",
        "--timeline",
        "command",
        "--branch-at",
        "50",
        "--branch-timeline",
        "stewardship",
    ]);
    assert!(ok && err.contains("of the branch's) come at tick 100 or later"), "each side counts its own: {err}");
    let (ok, _, err) = understory(&["run", "scenes/small-stable.ron", "--ticks", "5"]);
    assert!(ok && !err.contains("note: "), "hands-off has nothing after its opening chapter: {err}");
}

#[test]
fn a_run_longer_than_its_timelines_decisions_says_where_they_end() {
    let (ok, _, err) = understory(&["run", "scenes/small-stable.ron", "--ticks", "2000", "--timeline", "command"]);
    assert!(ok, "a long run is allowed: {err}");
    assert!(err.contains("note: the timeline's standing decisions end by tick 800; from there to tick 2000"), "{err}");
    let (ok, _, err) = understory(&["run", "scenes/small-stable.ron", "--ticks", "800", "--timeline", "command"]);
    assert!(ok && !err.contains("standing decisions end"), "a run of the scene's length reaches their end: {err}");
    let (ok, _, err) = understory(&["run", "scenes/small-stable.ron", "--ticks", "2000"]);
    assert!(ok && !err.contains("standing decisions end"), "hands-off decides nothing: {err}");
}

#[test]
fn run_writes_a_complete_csv_with_the_documented_header() {
    let dir = temp_dir("run");
    let csv = dir.join("out.csv");
    let (ok, out, err) = understory(&["run", "--ticks", "40", "--seed", "3", "--csv", csv.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("vitality") && out.contains("resilience"), "{out}");
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with(
        "tick,vitality,value_real,value_reported,litter,recycled_share,trust,alignment,feedback_delay,overload_share,inequality"
    ));
    assert_eq!(lines.count(), 40);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary file is left behind");
}

#[test]
fn several_seeds_run_in_parallel_with_a_seed_column() {
    let dir = temp_dir("seeds");
    let csv = dir.join("out.csv");
    let (ok, _, err) = understory(&[
        "run",
        "scenes/small-stable.ron",
        "--ticks",
        "10",
        "--seed",
        "5",
        "--seeds",
        "3",
        "--timeline",
        "command",
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("seed,tick,"));
    let seeds: std::collections::BTreeSet<&str> = text.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(seeds.into_iter().collect::<Vec<_>>(), ["5", "6", "7"]);
    assert_eq!(text.lines().count(), 31);
}

#[test]
fn bad_input_gets_one_clear_line_and_a_failure_code() {
    let cases: [&[&str]; 8] = [
        &["run", "--ticks", "100000000", "--seeds", "10"],
        &["inspect", "--tick", "99999999999"],
        &["run", "scenes/no-such.ron"],
        &["run", "--ticks", "0"],
        &["run", "--ticks", "many"],
        &["run", "--timeline", "nonsense"],
        &["generate", "--teams", "2000000", "--out", "x.ron"],
        &["run", "--ticks", "5", "--csv", "/no/such/folder/out.csv"],
    ];
    for args in cases {
        let (ok, _, err) = understory(args);
        assert!(!ok, "{args:?} should fail");
        assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
        assert!(err.trim().lines().count() <= 4 && !err.trim().is_empty(), "{args:?}: {err}");
    }
    assert!(!std::path::Path::new("/no/such/folder/out.csv").exists());
}

#[test]
fn generate_writes_a_scene_that_checks_and_runs() {
    let dir = temp_dir("generate");
    let out = dir.join("gen.ron");
    let (ok, _, err) =
        understory(&["generate", "--teams", "300", "--links", "700", "--seed", "2", "--out", out.to_str().unwrap()]);
    assert!(ok, "{err}");
    let (ok, stdout, err) = understory(&["check", out.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(stdout.contains("300 teams, 700 links"), "{stdout}");
    let (ok, _, err) = understory(&["run", out.to_str().unwrap(), "--ticks", "20"]);
    assert!(ok, "{err}");
}

/// Runs the binary with no display, as on a server without Xvfb.
fn without_display(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_understory"))
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .output()
        .expect("the binary runs");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn window_commands_explain_bad_input_and_a_missing_display_without_panicking() {
    for (args, expected) in [
        (vec!["open"], "no display"),
        (vec!["scenes/small-stable.ron"], "no display"),
        (vec!["open", "missing.ron"], "missing.ron"),
        (vec!["open", "--inspect", "nobody"], "no team of that name"),
        (vec!["compare", "--left", "command", "--right", "nope"], "has no timeline 'nope'"),
        (vec!["compare", "--left", "command", "--right", "stewardship", "--metric", "joy"], "not a metric"),
        (vec!["record", "--out", "x.mp4", "--seconds=-1"], "--seconds"),
        (vec!["record", "--out", "x.mp4", "--speed", "0"], "--speed"),
        (vec!["record", "--out", "x.mp4", "--size", "12x9000"], "from 64 to 8192"),
    ] {
        let (ok, err) = without_display(&args);
        assert!(!ok, "{args:?} should fail");
        assert!(err.contains(expected), "{args:?}: expected '{expected}' in: {err}");
        assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
    }
}

#[test]
fn bench_reports_the_median_and_best_of_its_windows() {
    let (ok, out, err) = understory(&["bench", "--teams", "20,40", "--seconds", "0.2"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("ticks/s (median of 5 windows) | best window"), "{out}");
    assert!(out.contains("Compiled variant of a tick: "), "{out}");
    let rows: Vec<Vec<f64>> = out
        .lines()
        .filter(|l| l.starts_with("| ") && l.as_bytes()[2].is_ascii_digit())
        .map(|l| l.split('|').filter_map(|cell| cell.trim().parse().ok()).collect())
        .collect();
    assert_eq!(rows.len(), 2, "{out}");
    for row in rows {
        let (median, best) = (row[2], row[3]);
        assert!(median > 0.0 && best >= median, "{out}");
    }
}

#[test]
fn bench_runs_the_portable_variant_on_request_and_refuses_an_unknown_one() {
    let (ok, out, err) = understory(&["bench", "--teams", "20", "--seconds", "0.1", "--cpu", "portable"]);
    assert!(ok && out.contains("Compiled variant of a tick: portable"), "{out}{err}");
    let (ok, _, err) = understory(&["bench", "--cpu", "sse9"]);
    assert!(!ok && err.contains("sse9") && !err.contains("panicked"), "{err}");
}

#[test]
fn the_benchmark_baseline_flag_needs_the_empty_window() {
    let (ok, _, err) = understory(&["open", "--bevy-defaults"]);
    assert!(!ok && err.contains("--empty"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// The CSV of a branched run, as (side, row) pairs without the side column.
fn branched_rows(path: &std::path::Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).expect("csv written");
    let mut lines = text.lines();
    assert!(lines.next().expect("header").starts_with("branch,tick,"), "the first column says which side");
    lines.map(|l| l.split_once(',').map(|(a, b)| (a.to_string(), b.to_string())).expect("a side")).collect()
}

#[test]
fn a_branched_run_shares_its_past_and_its_main_side_is_the_plain_run() {
    let dir = temp_dir("branch");
    let (plain, branched, again) = (dir.join("plain.csv"), dir.join("branched.csv"), dir.join("again.csv"));
    let scene = "scenes/small-stable.ron";
    let (ok, _, err) =
        understory(&["run", scene, "--timeline", "command", "--ticks", "400", "--csv", plain.to_str().unwrap()]);
    assert!(ok, "{err}");
    for out in [&branched, &again] {
        let (ok, stdout, err) = understory(&[
            "run",
            scene,
            "--timeline",
            "command",
            "--ticks",
            "400",
            "--branch-at",
            "150",
            "--branch-timeline",
            "stewardship",
            "--csv",
            out.to_str().unwrap(),
        ]);
        assert!(ok, "{err}");
        assert!(stdout.contains("branch from tick 150"), "{stdout}");
    }
    let rows = branched_rows(&branched);
    let main: Vec<&String> = rows.iter().filter(|(s, _)| s == "main").map(|(_, r)| r).collect();
    let branch: Vec<&String> = rows.iter().filter(|(s, _)| s == "branch").map(|(_, r)| r).collect();
    assert_eq!((main.len(), branch.len()), (400, 400));
    let plain_text = std::fs::read_to_string(&plain).expect("plain csv");
    let plain_rows: Vec<&str> = plain_text.lines().skip(1).collect();
    assert!(main.iter().zip(&plain_rows).all(|(a, b)| a.as_str() == *b), "main is the plain run, bit for bit");
    // Rows before tick 150 are the same; from the fork on, the roads part.
    let tick = |r: &str| r.split(',').next().unwrap().parse::<u64>().unwrap();
    for (a, b) in main.iter().zip(&branch) {
        if tick(a) < 150 {
            assert_eq!(a, b, "identical before the branch");
        }
    }
    assert!(main.iter().zip(&branch).any(|(a, b)| tick(a) >= 150 && a != b), "the futures differ");
    assert_eq!(rows, branched_rows(&again), "the branch repeats exactly");
    let (ok, _, err) = understory(&["run", scene, "--branch-at", "10"]);
    assert!(!ok && err.contains("--branch-timeline"), "{err}");
    let (ok, _, err) =
        understory(&["run", scene, "--ticks", "100", "--branch-at", "200", "--branch-timeline", "command"]);
    assert!(!ok && err.contains("after the run's last tick"), "{err}");
}
