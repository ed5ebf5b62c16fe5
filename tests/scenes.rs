//! Scene files: every shipped scene checks and runs; errors name the right line and column.

use understory::scene::{LoadedScene, MAX_TEAMS, SceneErrors};

fn errors(src: &str) -> SceneErrors {
    LoadedScene::from_source("test.ron", src).expect_err("the scene should be refused")
}

/// The (line, column) of the first error and its text.
fn first(src: &str) -> ((usize, usize), String) {
    let e = errors(src);
    let first = &e.0[0];
    (first.position().expect("errors in text have a position"), first.to_string())
}

const GOOD: &str = r#"Scene(
    name: "t",
    teams: [
        (name: "a", x: 0.2),
        (name: "b", x: 0.8, reports_to: "a"),
    ],
    links: [
        (a: "a", b: "b", delay: 2),
    ],
)"#;

#[test]
fn every_shipped_scene_checks_and_runs_each_timeline() {
    let mut count = 0;
    for entry in std::fs::read_dir("scenes").expect("scenes folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        count += 1;
        let scene = LoadedScene::from_path(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(scene.warnings.is_empty(), "{}: {:?}", path.display(), scene.warnings);
        let mut names: Vec<Option<&str>> = scene.scene.timelines.keys().map(|k| Some(k.as_str())).collect();
        names.push(None);
        for name in names {
            let timeline = scene.timeline(name).expect("timeline resolves");
            let out = understory::run::run(&scene, &timeline, 1, 50, |_| {}).expect("runs");
            assert_eq!(out.rows.len(), 50);
        }
    }
    assert!(count >= 5, "expected the five shipped scenes, found {count}");
    for name in ["default", "small-stable", "large-changing", "drought", "reorg"] {
        assert!(std::path::Path::new(&format!("scenes/{name}.ron")).exists(), "{name}.ron is shipped");
    }
    for name in ["small-stable", "large-changing"] {
        let s = LoadedScene::from_path(format!("scenes/{name}.ron").as_ref()).expect("loads");
        for t in ["hands-off", "command", "stewardship"] {
            assert!(s.scene.timelines.contains_key(t), "{name} has timeline {t}");
        }
    }
}

#[test]
fn the_built_in_scene_is_the_shipped_default() {
    let builtin = LoadedScene::builtin_default();
    let file = LoadedScene::from_path("scenes/default.ron".as_ref()).expect("loads");
    assert_eq!(builtin.scene, file.scene);
}

#[test]
fn a_good_scene_loads() {
    let s = LoadedScene::from_source("t.ron", GOOD).expect("valid");
    assert_eq!(s.scene.teams.len(), 2);
}

#[test]
fn an_entry_a_run_of_the_scenes_length_never_reaches_is_a_located_warning_not_an_error() {
    let src = r#"Scene(
    name: "t",
    ticks: 100,
    teams: [(name: "a", x: 0.5)],
    timelines: {
        "late": [
            Intervene(tick: 99, kind: Mandate),
            Shock(tick: 100, kind: Drought),
            Branch(tick: 50, label: "b", entries: [
                Caption(tick: 60, text: "in time"),
                Caption(tick: 250, text: "too late"),
            ]),
        ],
    },
)"#;
    let s = LoadedScene::from_source("t.ron", src).expect("late entries are allowed: the app runs on");
    let warnings: Vec<String> = s.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert_eq!((s.warnings[0].line, s.warnings[0].column), (8, 19), "{warnings:?}");
    assert!(warnings[0].contains("entry 2: tick 100 is past the scene's last tick (99)"), "{warnings:?}");
    assert_eq!((s.warnings[1].line, s.warnings[1].column), (11, 25), "{warnings:?}");
    assert!(warnings[1].contains("tick 250"), "{warnings:?}");
}

#[test]
fn syntax_errors_point_at_line_and_column() {
    let src = GOOD.replace(r#"(name: "b", x: 0.8,"#, r#"(name: "b" x: 0.8,"#);
    let ((line, col), msg) = first(&src);
    assert_eq!((line, col), (5, 20), "{msg}");
    assert!(msg.starts_with("test.ron:5:20:"), "{msg}");
}

#[test]
fn a_file_cut_short_says_it_ends_where_it_ends() {
    let cut = &GOOD[..GOOD.find("links").expect("GOOD has links")];
    let ((line, col), msg) = first(&format!("{cut}\n\n"));
    assert_eq!((line, col), (6, 7), "just after the last thing written: {msg}");
    assert!(msg.contains("the file ends here, before the scene is closed"), "{msg}");
    // A stray bracket before the end is where it stands, not the end of the file.
    let ((line, _), msg) = first(&format!("{GOOD}]\n"));
    assert_eq!(line, 10, "{msg}");
    assert!(!msg.contains("the file ends here"), "{msg}");
}

#[test]
fn unknown_fields_are_refused_where_they_stand() {
    let src = GOOD.replace(r#"(name: "a", x: 0.2)"#, r#"(name: "a", x: 0.2, colour: 3)"#);
    let ((line, _), msg) = first(&src);
    assert_eq!(line, 4, "{msg}");
    assert!(msg.contains("colour"), "{msg}");
}

#[test]
fn out_of_range_values_name_the_field_and_the_range() {
    let src = GOOD.replace(r#"(name: "b", x: 0.8,"#, r#"(name: "b", x: 1.8,"#);
    let ((line, col), msg) = first(&src);
    assert_eq!((line, col), (5, 21), "{msg}");
    assert!(msg.contains("expected a position from 0 to 1"), "{msg}");

    let src = GOOD.replace(r#"name: "t","#, "name: \"t\",\n    params: (soil_rate: 2.0),");
    let ((line, col), msg) = first(&src);
    assert_eq!((line, col), (3, 14), "{msg}");
    assert!(msg.contains("params.soil_rate is 2"), "{msg}");

    // A huge number is shown as it would be written, not digit by digit.
    let src = GOOD.replace(r#"(name: "b", x: 0.8,"#, r#"(name: "b", x: 1e308,"#);
    let (_, msg) = first(&src);
    assert!(msg.contains("has x 1e308, expected"), "{msg}");
}

#[test]
fn a_light_center_that_is_not_a_number_is_refused_where_it_stands() {
    for (center, shown) in [("NaN", "NaN"), ("1.5", "1.5"), ("-0.25", "-0.25")] {
        let src =
            GOOD.replace(r#"name: "t","#, &format!("name: \"t\",\n    light: (patches: 2, centers: [0.3, {center}]),"));
        let ((line, col), msg) = first(&src);
        assert_eq!(line, 3, "{msg}");
        assert!(col > 1, "{msg}");
        assert!(msg.contains(&format!("light.centers is {shown}, expected a value from 0 to 1")), "{msg}");
    }
}

#[test]
fn a_link_to_a_missing_team_points_at_the_name() {
    let src = GOOD.replace(r#"(a: "a", b: "b", delay: 2)"#, r#"(a: "a", b: "c", delay: 2)"#);
    let ((line, col), msg) = first(&src);
    assert_eq!((line, col), (8, 21), "{msg}");
    assert!(msg.contains("\"c\""), "{msg}");
}

#[test]
fn a_hierarchy_cycle_is_refused() {
    let src = GOOD.replace(r#"(name: "a", x: 0.2)"#, r#"(name: "a", x: 0.2, reports_to: "b")"#);
    let ((line, _), msg) = first(&src);
    assert!(msg.contains("cycle"), "{msg}");
    assert!(line == 4 || line == 5, "{msg}");
}

#[test]
fn every_error_is_reported_not_just_the_first() {
    let src =
        GOOD.replace(r#"(name: "a", x: 0.2)"#, r#"(name: "a", x: 0.2, size: 0)"#).replace(r#"delay: 2"#, r#"delay: 0"#);
    assert_eq!(errors(&src).0.len(), 2);
}

#[test]
fn timelines_name_real_teams_and_shocks() {
    let src = GOOD.replace(
        "    ],\n)",
        "    ],\n    timelines: { \"t\": [Shock(tick: 5, kind: Mandate), Intervene(tick: 1, kind: Target, on: Teams([\"zz\"]))] },\n)",
    );
    let e = errors(&src);
    let text = e.to_string();
    assert!(text.contains("not a shock"), "{text}");
    assert!(text.contains("\"zz\""), "{text}");
}

#[test]
fn a_chapter_pace_outside_the_apps_speeds_is_refused_where_it_stands() {
    let src = GOOD.replace(
        "    ],\n)",
        "    ],\n    timelines: { \"t\": [\n        Chapter(tick: 0, title: \"one\", pause: true, pace: 500),\n    ] },\n)",
    );
    let ((line, col), msg) = first(&src);
    assert_eq!((line, col), (11, 53), "{msg}");
    assert!(msg.contains("pace 500, expected 1 to 64"), "{msg}");
    let fine = GOOD.replace(
        "    ],\n)",
        "    ],\n    timelines: { \"t\": [Chapter(tick: 0, title: \"one\", pause: true, pace: 2)] },\n)",
    );
    let loaded = LoadedScene::from_source("test.ron", &fine).expect("a pace of 2 is fine");
    assert_eq!(loaded.timeline(Some("t")).unwrap().chapters()[0].pace, Some(2.0));
}

#[test]
fn absurd_sizes_are_refused_before_allocating() {
    let mut src = String::from("Scene(name: \"huge\", teams: [");
    for i in 0..=MAX_TEAMS {
        src.push_str(&format!("(name:\"{i}\"),"));
    }
    src.push_str("])");
    let ((line, _), msg) = first(&src);
    assert_eq!(line, 1);
    assert!(msg.contains("more than 1000000 teams"), "{msg}");
}

#[test]
fn missing_and_malformed_files_say_what_is_wrong() {
    let e = LoadedScene::from_path("scenes/no-such-file.ron".as_ref()).expect_err("missing");
    assert!(e.to_string().contains("no-such-file.ron: cannot read"), "{e}");
    let e = LoadedScene::from_path("scenes".as_ref()).expect_err("a folder");
    assert!(e.to_string().contains("is a directory"), "{e}");
}

/// A reporting chain `teams` long with `hop_delay` ticks a hop, as scene text.
fn chain(teams: usize, hop_delay: u32) -> String {
    let mut src = format!("Scene(name: \"chain\", params: (hop_delay: {hop_delay}), teams: [(name: \"t0\"),");
    for i in 1..teams {
        src.push_str(&format!("(name: \"t{i}\", reports_to: \"t{}\"),", i - 1));
    }
    src.push_str("])");
    src
}

#[test]
fn a_deep_slow_chain_runs_within_a_gigabyte_and_a_deeper_one_is_refused_saying_why() {
    // 3,000 teams, 32 ticks a hop: each team keeps its reports for as long as they climb.
    let scene = LoadedScene::from_source("chain.ron", &chain(3_000, 32)).expect("checks");
    let parent: Vec<u32> = (0..3_000u32).map(|i| if i == 0 { understory::model::NONE } else { i - 1 }).collect();
    let need = understory::model::MemoryNeed::of(&parent, 0, 1, &scene.scene.params);
    assert!(need.total() < 1 << 30, "needs {} bytes", need.total());
    let timeline = scene.timeline(None).expect("timeline");
    let out = understory::run::run(&scene, &timeline, 1, 20, |_| {}).expect("runs");
    assert_eq!(out.rows.len(), 20);
    // 10,000 teams would need more than 2 GB of reports: refused before anything is allocated.
    let errors = LoadedScene::from_source("deep.ron", &chain(10_000, 32)).expect_err("too large");
    let msg = errors.to_string();
    assert!(msg.starts_with("deep.ron:1:"), "{msg}");
    assert!(msg.contains("too large to run") && msg.contains("GB") && msg.contains("hop_delay"), "{msg}");
}

const BRANCHING: &str = r#"Scene(
    name: "t",
    teams: [
        (name: "a", x: 0.2),
        (name: "b", x: 0.8, reports_to: "a"),
    ],
    environment: [
        Shock(tick: 120, kind: Drought, strength: 0.5, duration: 40),
    ],
    timelines: {
        "command": [
            Intervene(tick: 10, kind: Mandate, strength: 0.5, duration: 300),
            Branch(tick: 80, label: "tend the soil", entries: [
                Intervene(tick: 80, kind: EnrichSoil, strength: 0.5, duration: 200),
                Chapter(tick: 90, title: "The other road", caption: "Soil, not orders."),
            ]),
        ],
    },
)"#;

#[test]
fn a_branch_entry_resolves_to_a_fork_that_keeps_the_environment() {
    let s = LoadedScene::from_source("t.ron", BRANCHING).unwrap_or_else(|e| panic!("{e}"));
    let main = s.timeline(Some("command")).expect("resolves");
    let branch = main.branch.as_ref().expect("the timeline branches");
    assert_eq!((branch.tick, branch.label.as_str()), (80, "tend the soil"));
    assert_eq!(main.interventions_at(10).count(), 1, "main keeps its own course");
    assert_eq!(main.interventions_at(80).count(), 0, "the branch's entries are not main's");
    assert_eq!(branch.timeline.interventions_at(80).count(), 1);
    assert_eq!(branch.timeline.interventions_at(120).count(), 1, "the same drought on both roads");
    assert_eq!(branch.timeline.chapters().len(), 1);
    let (a, b) = understory::run::run_branched(&s, &main, &branch.timeline, branch.tick, 1, 200, |_| {}).expect("runs");
    let plain = understory::run::run(&s, &main, 1, 200, |_| {}).expect("runs");
    assert_eq!(a.rows, plain.rows, "main is the plain run");
    assert_eq!(a.rows[..80], b.rows[..80], "the same past");
    assert_ne!(a.rows[150], b.rows[150], "different futures");
    let (_, again) =
        understory::run::run_branched(&s, &main, &branch.timeline, branch.tick, 1, 200, |_| {}).expect("runs");
    assert_eq!(b.rows, again.rows, "the branch repeats exactly");
}

#[test]
fn a_misplaced_branch_is_refused_where_it_stands() {
    let early = BRANCHING.replace("Intervene(tick: 80, kind: EnrichSoil", "Intervene(tick: 70, kind: EnrichSoil");
    let ((line, _), text) = first(&early);
    assert_eq!(line, 14, "{text}");
    assert!(text.contains("tick 70 is before the branch"), "{text}");
    let twice = BRANCHING
        .replace("        ],\n    },\n)", "            Branch(tick: 100, label: \"again\"),\n        ],\n    },\n)");
    let (_, text) = first(&twice);
    assert!(text.contains("a second Branch"), "{text}");
    let unknown = BRANCHING.replace("duration: 200),", "duration: 200, on: Teams([\"nobody\"])),");
    let ((line, _), text) = first(&unknown);
    assert_eq!(line, 14, "{text}");
    assert!(text.contains("\"nobody\""), "{text}");
    let in_environment =
        BRANCHING.replace("        Shock(tick: 120", "        Branch(tick: 5, label: \"x\"),\n        Shock(tick: 120");
    let (_, text) = first(&in_environment);
    assert!(text.contains("not the environment"), "{text}");
}

#[test]
fn a_branch_taken_up_from_entries_or_from_a_timeline_issues_the_same_decisions() {
    // Written out of tick order, as a hand-edited file may be.
    let src = BRANCHING.replace(
        "            Intervene(tick: 10, kind: Mandate, strength: 0.5, duration: 300),",
        "            Intervene(tick: 90, kind: OpenFeedback, strength: 0.3, duration: 100),\n            Intervene(tick: 10, kind: Mandate, strength: 0.5, duration: 300),",
    );
    let s = LoadedScene::from_source("t.ron", &src).unwrap_or_else(|e| panic!("{e}"));
    let at = 90;
    let from_timeline = s.timeline(Some("command")).unwrap().taken_over_at(at);
    let entries = understory::scene::taken_over_entries(&s.scene.timelines["command"], at);
    let from_entries = s.branch_timeline("command", &entries).taken_over_at(at);
    let decisions = |t: &understory::scene::Timeline| {
        t.events
            .iter()
            .filter_map(|(tick, e)| match e {
                understory::scene::Event::Intervene(iv) => Some((*tick, iv.clone())),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(decisions(&from_entries), decisions(&from_timeline));
    assert_eq!(decisions(&from_timeline)[0].1.kind, understory::model::InterventionKind::Mandate, "in tick order");
}
