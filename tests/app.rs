//! The app's simulation plugin on a bare `App` with `MinimalPlugins`: interventions sent as the UI
//! sends them reach the model, a saved session replays exactly, a bad scene leaves the running one
//! untouched, and an edited scene file reloads.

use std::path::PathBuf;
use std::time::Duration;

use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;

use understory::app::sim::TICKS_PER_SECOND;
use understory::app::{Control, Intervene, Sim, SimPlugin};
use understory::model::{Intervention, InterventionKind, Selection};
use understory::run::advance;
use understory::scene::LoadedScene;

/// An app whose every update advances virtual time by exactly one model tick.
fn app_with(sim: Sim) -> App {
    let mut app = App::new();
    app.add_plugins(MinimalPlugins)
        .add_plugins(SimPlugin::new(sim))
        .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_secs_f64(1.0 / TICKS_PER_SECOND)));
    app
}

fn default_app() -> App {
    app_with(Sim::new(LoadedScene::builtin_default(), None, None, None).expect("the default scene starts"))
}

/// Updates until the model reaches `tick` (with a bound, so a stalled model fails instead of hanging).
fn run_to(app: &mut App, tick: u64) {
    for _ in 0..tick * 4 + 20 {
        if app.world().resource::<Sim>().forest.tick >= tick {
            return;
        }
        app.update();
    }
    panic!("the model did not reach tick {tick}; it is at {}", app.world().resource::<Sim>().forest.tick);
}

fn temp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("understory-app-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

#[test]
fn an_intervention_sent_from_the_ui_reaches_the_model() {
    let mut app = default_app();
    run_to(&mut app, 5);
    let iv = Intervention { kind: InterventionKind::OpenFeedback, strength: 0.8, duration: 50, on: Selection::All };
    app.world_mut().write_message(Intervene(iv.clone()));
    run_to(&mut app, 8);
    let sim = app.world().resource::<Sim>();
    let (tick, recorded) = sim.session.first().expect("the session records the intervention");
    assert_eq!(recorded, &iv);
    assert!(*tick >= 5 && *tick < 8, "applied at tick {tick}");
    assert!(sim.forest.issued.iter().any(|(t, i)| t == tick && i == &iv), "the model issued it");
    assert!(sim.forest.active.iter().any(|a| a.intervention == iv), "it is in force");
}

#[test]
fn a_saved_session_replays_to_identical_metrics() {
    let mut app = default_app();
    let steps = [
        (20, Intervention { kind: InterventionKind::Mandate, strength: 0.7, duration: 80, on: Selection::All }),
        (
            60,
            Intervention {
                kind: InterventionKind::Target,
                strength: 0.5,
                duration: 100,
                on: Selection::Trees(vec![3, 4, 5]),
            },
        ),
        (60, Intervention { kind: InterventionKind::ClarifyValues, strength: 0.9, duration: 200, on: Selection::All }),
        (
            110,
            Intervention { kind: InterventionKind::Storm, strength: 0.6, duration: 1, on: Selection::Trees(vec![7]) },
        ),
        (
            140,
            Intervention {
                kind: InterventionKind::Reorganize,
                strength: 0.5,
                duration: 1,
                on: Selection::Trees(vec![2, 9, 12]),
            },
        ),
    ];
    for (tick, iv) in &steps {
        run_to(&mut app, *tick);
        app.world_mut().write_message(Intervene(iv.clone()));
    }
    run_to(&mut app, 250);
    let path = temp_path("session.ron");
    app.world_mut().write_message(Control::SaveSession(path.clone()));
    app.update();
    let sim = app.world().resource::<Sim>();
    assert!(sim.error.is_none(), "saving failed: {:?}", sim.error);
    assert_eq!(sim.session.len(), steps.len());

    let saved = LoadedScene::from_path(&path).expect("the saved session is a valid scene");
    let timeline = saved.timeline(None).expect("it names its session timeline as the default");
    let mut replay = saved.forest(None).expect("the forest builds with the saved seed");
    // The history's first row is tick 0 as measured after it ran (it replaces the opening state).
    let live = &sim.history;
    assert_eq!(live[0].tick, 0);
    for expected in live.iter() {
        advance(&mut replay, &timeline);
        assert_eq!(
            replay.metrics.bits().collect::<Vec<_>>(),
            expected.bits().collect::<Vec<_>>(),
            "the replay differs from the live session at tick {}",
            replay.tick
        );
    }
}

#[test]
fn a_session_played_past_the_scenes_length_is_saved_to_run_as_far_as_it_was_played() {
    let mut app = default_app();
    let length = app.world().resource::<Sim>().loaded.scene.ticks;
    run_to(&mut app, length + 5);
    let storm = Intervention { kind: InterventionKind::Storm, strength: 0.6, duration: 1, on: Selection::All };
    app.world_mut().write_message(Intervene(storm));
    run_to(&mut app, length + 20);
    let path = temp_path("long-session.ron");
    app.world_mut().write_message(Control::SaveSession(path.clone()));
    app.update();
    let sim = app.world().resource::<Sim>();
    assert!(sim.error.is_none(), "saving failed: {:?}", sim.error);
    let saved = LoadedScene::from_path(&path).expect("the saved session is a valid scene");
    let ticks = saved.scene.ticks;
    assert!((length + 20..=sim.forest.tick).contains(&ticks), "it runs to the tick it was saved at, not {ticks}");
    assert!(saved.warnings.is_empty(), "a run of its length reaches every entry: {:?}", saved.warnings);
}

#[test]
fn a_bad_scene_leaves_the_running_one_untouched() {
    let mut app = default_app();
    run_to(&mut app, 10);
    let bad = temp_path("bad.ron");
    std::fs::write(&bad, "Scene(\n    name: \"broken\",\n    teams: [ (name: \"a\", size: oops) ],\n)\n").unwrap();
    let name_before = app.world().resource::<Sim>().scene_name().to_string();
    app.world_mut().write_message(Control::Open(bad.clone()));
    run_to(&mut app, 20);
    let sim = app.world().resource::<Sim>();
    let error = sim.error.as_deref().expect("the error is shown");
    assert!(error.contains(&format!("{}:3:", bad.display())), "names file and line: {error}");
    assert_eq!(sim.scene_name(), name_before);
    assert!(sim.forest.tick >= 20, "the running scene keeps running");
}

#[test]
fn an_edited_scene_file_reloads() {
    let path = temp_path("reload.ron");
    let original = std::fs::read_to_string("scenes/small-stable.ron").expect("shipped scene");
    std::fs::write(&path, &original).unwrap();
    let loaded = LoadedScene::from_path(&path).unwrap();
    let mut app = app_with(Sim::new(loaded, Some(path.clone()), None, None).unwrap());
    run_to(&mut app, 5);
    let renamed = original.replacen("name: \"", "name: \"Renamed ", 1);
    std::fs::write(&path, &renamed).unwrap();
    // Make sure the change is visible even on file systems with coarse timestamps.
    let later = std::time::SystemTime::now() + Duration::from_secs(2);
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(later).unwrap();
    for _ in 0..20 {
        app.update();
    }
    let sim = app.world().resource::<Sim>();
    assert!(sim.scene_name().starts_with("Renamed "), "reloaded: {}", sim.scene_name());
    assert!(sim.error.is_none());
}

#[test]
fn reset_and_seed_controls_restart_the_forest() {
    let mut app = default_app();
    run_to(&mut app, 30);
    app.world_mut().write_message(Control::Seed(99));
    app.update();
    let sim = app.world().resource::<Sim>();
    assert_eq!(sim.seed, 99);
    assert!(sim.forest.tick <= 2, "restarted, at tick {}", sim.forest.tick);
    app.world_mut().write_message(Control::Play(false));
    app.update();
    let paused_at = app.world().resource::<Sim>().forest.tick;
    for _ in 0..5 {
        app.update();
    }
    assert_eq!(app.world().resource::<Sim>().forest.tick, paused_at, "paused");
    app.world_mut().write_message(Control::Step);
    for _ in 0..3 {
        app.update();
    }
    assert_eq!(app.world().resource::<Sim>().forest.tick, paused_at + 1, "one step");
}

/// Lets the app run for `updates` frames of simulated time.
/// The forests beside the main one: entities stepping on the same clock.
fn twins(app: &App) -> Vec<&understory::app::Twin> {
    let world = app.world();
    world.try_query::<&understory::app::Twin>().map(|mut q| q.iter(world).collect()).unwrap_or_default()
}

/// A shipped scene's simulation following `timeline`, with the scene's seed.
fn shipped(scene: &str, timeline: &str) -> Sim {
    let loaded = LoadedScene::from_path(std::path::Path::new(&format!("scenes/{scene}.ron"))).expect("shipped");
    Sim::new(loaded, None, Some(timeline.into()), None).expect("starts")
}

/// An app that can show forests beside the main one (the comparison's keys read the keyboard
/// and whether egui wants it).
fn two_forest_app(sim: Sim) -> App {
    let mut app = app_with(sim);
    app.add_plugins(understory::app::compare::plugin)
        .init_resource::<bevy_egui::input::EguiWantsInput>()
        .init_resource::<ButtonInput<KeyCode>>();
    app
}

/// The story played unattended (through its pauses) at 1x, able to branch.
fn unattended_story() -> App {
    let mut sim = shipped("story-command-vs-conditions", "story");
    sim.run_unattended(None, None);
    two_forest_app(sim)
}

/// Sends `control` as the UI would, and lets the app act on it.
fn control(app: &mut App, control: Control) {
    app.world_mut().write_message(control);
    app.update();
}

fn run_for(app: &mut App, updates: u32) {
    for _ in 0..updates {
        app.update();
    }
}

mod presenting {
    use super::*;
    use bevy_egui::input::EguiWantsInput;
    use understory::app::present::{self, Presentation};

    fn story_app() -> App {
        let loaded = LoadedScene::from_path(std::path::Path::new("scenes/story-command-vs-conditions.ron"))
            .expect("the story scene loads");
        let mut app = app_with(Sim::new(loaded, None, None, None).expect("the story starts"));
        app.add_plugins(present::plugin)
            .insert_resource(Presentation::load(None))
            .init_resource::<EguiWantsInput>()
            .init_resource::<ButtonInput<KeyCode>>();
        app
    }

    /// Presses and releases a key as a clicker would, then lets the app act on it.
    fn press(app: &mut App, key: KeyCode) {
        app.world_mut().resource_mut::<ButtonInput<KeyCode>>().press(key);
        app.update();
        let mut keys = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
        keys.release(key);
        keys.clear();
        app.update();
    }

    fn sim(app: &App) -> &Sim {
        app.world().resource::<Sim>()
    }

    #[test]
    fn a_clicker_walks_the_chapters_and_captions_follow() {
        let mut app = story_app();
        app.update();
        assert!(!sim(&app).clock.playing(), "the story opens paused on its first chapter");
        assert_eq!(sim(&app).forest.tick, 0);
        let first = sim(&app).timeline.caption_at(0).expect("chapter one has a caption");
        assert!(first.starts_with("A living forest"), "{first}");

        // PageDown carries on into the story, which pauses by itself at the next chapter.
        press(&mut app, KeyCode::PageDown);
        for _ in 0..400 {
            if !sim(&app).clock.playing() {
                break;
            }
            app.update();
        }
        assert_eq!(sim(&app).forest.tick, 150, "paused for discussion at chapter two");
        assert!(sim(&app).timeline.caption_at(150).unwrap().starts_with("The light moves"));
        let at_chapter_two = *sim(&app).history.at(150).unwrap();

        // Playing again, the right arrow jumps straight to the next chapter.
        press(&mut app, KeyCode::PageDown);
        assert!(sim(&app).clock.playing());
        press(&mut app, KeyCode::ArrowRight);
        assert_eq!(sim(&app).forest.tick, 300, "jumped to chapter three");
        assert!(!sim(&app).clock.playing());
        assert!(sim(&app).timeline.caption_at(300).unwrap().starts_with("Leading by command"));

        // PageUp goes back a chapter and replays to exactly the same state.
        press(&mut app, KeyCode::PageUp);
        assert_eq!(sim(&app).forest.tick, 150, "back at chapter two");
        assert_eq!(
            *sim(&app).history.at(150).unwrap().bits().collect::<Vec<_>>(),
            at_chapter_two.bits().collect::<Vec<_>>(),
            "going back replays the story exactly"
        );
        press(&mut app, KeyCode::ArrowLeft);
        assert_eq!(sim(&app).forest.tick, 0, "and back to the start");
    }

    #[test]
    fn one_press_plays_a_paused_chapter_at_its_pace_with_its_progress_shown() {
        let mut app = story_app();
        app.update();
        app.world_mut().write_message(Control::Speed(16.0));
        app.update();
        let waiting = sim(&app).chapter_progress().expect("a chapter follows the first");
        assert!(waiting.waiting, "paused at chapter one, waiting for Next");
        assert_eq!((waiting.next_title.as_str(), waiting.ticks_left), ("The light moves", 150));

        press(&mut app, KeyCode::PageDown);
        assert!(sim(&app).clock.playing());
        assert_eq!(sim(&app).clock.speed(), 1.0, "the chapter's pace, not the speed set before");
        run_to(&mut app, 75);
        let half = sim(&app).chapter_progress().unwrap();
        assert!(!half.waiting);
        assert!((half.done - 0.5).abs() < 0.05, "half way through: {}", half.done);
        assert_eq!(half.ticks_left, 150 - sim(&app).forest.tick);
    }

    fn shown(app: &App) -> &Presentation {
        app.world().resource::<Presentation>()
    }

    #[test]
    fn presenting_keys_hide_blank_and_scale() {
        let mut app = story_app();
        app.update();
        press(&mut app, KeyCode::KeyH);
        assert!(shown(&app).hidden, "H hides the controls");
        press(&mut app, KeyCode::KeyB);
        assert_eq!(shown(&app).blank, Some(present::Blank::Black), "B blanks the screen");
        press(&mut app, KeyCode::KeyB);
        assert_eq!(shown(&app).blank, None, "B again brings it back");
        press(&mut app, KeyCode::KeyH);
        assert!(!shown(&app).hidden);
        // P switches the palette resource every drawing reads (no global switch).
        let palette = |app: &App| app.world().resource::<understory::app::palette::ActivePalette>().0.line;
        assert_eq!(palette(&app), 1.0, "the desk palette");
        press(&mut app, KeyCode::KeyP);
        assert!(palette(&app) > 1.0, "P: the projector palette, thicker lines");
        press(&mut app, KeyCode::KeyP);
        assert_eq!(palette(&app), 1.0);
        let before = app.world().resource::<Presentation>().settings.ui_scale;
        app.world_mut().resource_mut::<ButtonInput<KeyCode>>().press(KeyCode::ControlLeft);
        press(&mut app, KeyCode::Equal);
        assert!(app.world().resource::<Presentation>().settings.ui_scale > before, "Ctrl + scales the UI up");
    }

    #[test]
    fn a_clickers_slideshow_and_blank_keys_present_and_blank_without_moving_the_story() {
        let mut app = story_app();
        app.update();
        // The slideshow button sends F5, then Esc the second time.
        press(&mut app, KeyCode::F5);
        assert!(shown(&app).hidden && shown(&app).fullscreen, "F5 presents: controls hidden, full screen");
        let tick = sim(&app).forest.tick;
        // The blank button sends "." on some clickers, B on others; neither moves the model.
        press(&mut app, KeyCode::Period);
        assert_eq!(shown(&app).blank, Some(present::Blank::Black));
        assert_eq!(sim(&app).forest.tick, tick, "\".\" no longer steps the model");
        // Next while blank brings the forest back and does nothing more.
        press(&mut app, KeyCode::PageDown);
        assert_eq!(shown(&app).blank, None);
        assert!(!sim(&app).clock.playing(), "the story did not move on");
        press(&mut app, KeyCode::Comma);
        assert_eq!(shown(&app).blank, Some(present::Blank::White), ", is a white screen");
        press(&mut app, KeyCode::KeyW);
        assert_eq!(shown(&app).blank, None, "W again brings it back");
        press(&mut app, KeyCode::Escape);
        assert!(!shown(&app).hidden && !shown(&app).fullscreen, "Esc stops presenting");
    }

    #[test]
    fn the_welcome_window_holds_the_forest_and_any_clicker_key_closes_it() {
        let mut app = story_app();
        app.world_mut().resource_mut::<Presentation>().welcome = true;
        app.world_mut().write_message(Control::Play(true));
        for _ in 0..20 {
            app.update();
        }
        assert_eq!(sim(&app).forest.tick, 0, "the forest waits while the welcome window is open");
        press(&mut app, KeyCode::PageDown);
        assert!(!shown(&app).welcome, "a clicker key closes it");
        assert!(sim(&app).clock.playing(), "and only closes it");
        run_for(&mut app, 20);
        assert!(sim(&app).forest.tick > 0, "the forest goes on");
    }

    #[test]
    fn space_closes_the_welcome_window_and_the_forest_plays() {
        let mut app = story_app();
        app.world_mut().resource_mut::<Presentation>().welcome = true;
        app.world_mut().write_message(Control::Play(true));
        run_for(&mut app, 5);
        assert_eq!(sim(&app).forest.tick, 0);
        press(&mut app, KeyCode::Space);
        assert!(!shown(&app).welcome, "Space closes it");
        assert!(sim(&app).clock.playing());
        run_for(&mut app, 20);
        assert!(sim(&app).forest.tick > 0, "and the forest plays");
    }
}

mod side_by_side {
    use super::*;
    use understory::app::compare::Twin;

    #[test]
    fn the_right_forest_keeps_the_clock_and_replays_its_own_timeline_exactly() {
        let sim = shipped("small-stable", "command");
        let loaded = sim.loaded.clone();
        let twin = Twin::of(&sim, "stewardship", "vitality").unwrap();
        let mut app = two_forest_app(sim);
        app.world_mut().spawn(twin);
        run_to(&mut app, 120);
        let iv = Intervention { kind: InterventionKind::Drought, strength: 0.5, duration: 30, on: Selection::All };
        app.world_mut().write_message(Intervene(iv));
        run_to(&mut app, 200);
        app.update();
        let main_tick = app.world().resource::<Sim>().forest.tick;
        let twin = twins(&app)[0];
        assert_eq!(twin.sim.forest.tick, main_tick, "one clock");
        assert_eq!(twin.sim.session.len(), 1, "the user's intervention reached both forests");

        // The twin is exactly a headless run of its timeline with the same interventions.
        let mut timeline = loaded.timeline(Some("stewardship")).unwrap();
        let (at, iv) = twin.sim.session[0].clone();
        timeline.events.push((at, understory::scene::Event::Intervene(iv)));
        timeline.events.sort_by_key(|(t, _)| *t);
        let mut alone = loaded.forest(None).unwrap();
        while alone.tick < main_tick {
            advance(&mut alone, &timeline);
        }
        assert_eq!(alone.metrics.bits().collect::<Vec<_>>(), twin.sim.forest.metrics.bits().collect::<Vec<_>>());
    }
}

#[test]
fn an_org_chart_opened_in_the_app_is_imported_and_can_be_saved_as_a_scene() {
    let mut app = default_app();
    run_to(&mut app, 3);
    app.world_mut().write_message(Control::Open(PathBuf::from("scenes/examples/org-chart.csv")));
    app.update();
    {
        let sim = app.world().resource::<Sim>();
        assert!(sim.error.is_none(), "{:?}", sim.error);
        assert_eq!(sim.scene_name(), "org-chart");
        assert!(sim.is_imported());
        assert!(sim.notice.as_deref().is_some_and(|n| n.starts_with("Imported")), "{:?}", sim.notice);
        let names: Vec<&String> = sim.loaded.scene.timelines.keys().collect();
        assert_eq!(names, ["command", "hands-off", "stewardship"]);
    }
    let out = temp_path("imported.ron");
    app.world_mut().write_message(Control::SaveScene(out.clone()));
    app.update();
    let saved = LoadedScene::from_path(&out).unwrap_or_else(|e| panic!("{e}"));
    let sim = app.world().resource::<Sim>();
    assert_eq!(saved.scene, sim.loaded.scene, "the scene as imported, not as played");
    // A broken chart leaves the imported forest running, with every error shown.
    let broken = temp_path("broken.csv");
    std::fs::write(&broken, "name,manager\nAna,\nBo,Nobody\n").expect("written");
    app.world_mut().write_message(Control::Open(broken));
    app.update();
    let sim = app.world().resource::<Sim>();
    assert_eq!(sim.scene_name(), "org-chart");
    assert!(sim.error.as_deref().is_some_and(|e| e.contains("\"Nobody\"")), "{:?}", sim.error);
}

mod branching {
    use super::*;
    use understory::app::{Road, SendTo, Twin};

    fn small_stable(timeline: &str) -> App {
        two_forest_app(shipped("small-stable", timeline))
    }

    fn twin(app: &App) -> &Twin {
        let beside = twins(app);
        assert!(beside.len() <= 1, "one forest beside the main one");
        beside.into_iter().next().expect("a forest beside the main one")
    }

    #[test]
    fn a_branch_starts_from_the_same_state_and_keeps_the_clock() {
        let mut app = small_stable("command");
        run_to(&mut app, 50);
        control(&mut app, Control::Branch(Some("stewardship".into())));
        let at = twin(&app).parted_at();
        assert!(at >= 50);
        assert_eq!(twin(&app).road, Road::Branch { at });
        assert_eq!(twin(&app).timeline(), "stewardship");
        run_to(&mut app, 150);
        app.update();
        let main = app.world().resource::<Sim>();
        let other = twin(&app);
        assert_eq!(other.sim.forest.tick, main.forest.tick, "one clock");
        for t in 0..at {
            let (a, b) = (main.history.at(t).unwrap(), other.sim.history.at(t).unwrap());
            assert_eq!(a.bits().collect::<Vec<_>>(), b.bits().collect::<Vec<_>>(), "the same past at tick {t}");
        }
        assert_ne!(main.forest.metrics.trust, other.sim.forest.metrics.trust, "another future");
        // The branch is exactly a headless branched run.
        let loaded = &main.loaded;
        let (_, headless) = understory::run::run_branched(
            loaded,
            &loaded.timeline(Some("command")).unwrap(),
            &loaded.timeline(Some("stewardship")).unwrap(),
            at,
            main.seed,
            main.forest.tick,
            |_| {},
        )
        .unwrap();
        let last = headless.rows.last().unwrap();
        assert_eq!(last.bits().collect::<Vec<_>>(), other.sim.forest.metrics.bits().collect::<Vec<_>>());
    }

    /// A third forest needs nothing new: every forest beside the main one is an entity the
    /// clock steps, and each receives what is sent to the other side.
    #[test]
    fn every_forest_beside_the_main_one_keeps_the_clock() {
        let mut app = small_stable("command");
        let main = app.world().resource::<Sim>().clone();
        for timeline in ["stewardship", "hands-off"] {
            let twin = Twin::of(&main, timeline, "vitality").unwrap();
            app.world_mut().spawn(twin);
        }
        run_to(&mut app, 40);
        app.world_mut().write_message(Control::SendTo(SendTo::Other));
        app.update();
        let iv = Intervention { kind: InterventionKind::EnrichSoil, strength: 0.4, duration: 20, on: Selection::All };
        app.world_mut().write_message(Intervene(iv));
        run_to(&mut app, 80);
        app.update();
        let tick = app.world().resource::<Sim>().forest.tick;
        let beside = twins(&app);
        assert_eq!(beside.len(), 2);
        for twin in beside {
            assert_eq!(twin.sim.forest.tick, tick, "{} keeps the clock", twin.timeline());
            assert_eq!(twin.sim.session.len(), 1, "{} received the intervention", twin.timeline());
        }
        assert!(app.world().resource::<Sim>().session.is_empty(), "the main forest did not");
    }

    #[test]
    fn interventions_go_to_the_side_asked_for() {
        let mut app = small_stable("hands-off");
        run_to(&mut app, 20);
        control(&mut app, Control::Branch(Some("command".into())));
        let iv = |kind| Intervention { kind, strength: 0.4, duration: 20, on: Selection::All };
        for (side, kind) in [
            (SendTo::Other, InterventionKind::EnrichSoil),
            (SendTo::Main, InterventionKind::PushHarder),
            (SendTo::Both, InterventionKind::OpenFeedback),
        ] {
            control(&mut app, Control::SendTo(side));
            app.world_mut().write_message(Intervene(iv(kind)));
            run_for(&mut app, 4);
        }
        let kinds = |s: &Sim| s.session.iter().map(|(_, iv)| iv.kind).collect::<Vec<_>>();
        let main = kinds(app.world().resource::<Sim>());
        let other = kinds(&twin(&app).sim);
        assert_eq!(main, [InterventionKind::PushHarder, InterventionKind::OpenFeedback]);
        assert_eq!(other, [InterventionKind::EnrichSoil, InterventionKind::OpenFeedback]);
    }

    #[test]
    fn going_back_to_after_the_branch_keeps_it_and_before_it_removes_it() {
        let mut app = unattended_story();
        run_to(&mut app, 160);
        control(&mut app, Control::Branch(Some("hands-off".into())));
        let at = twin(&app).parted_at();
        control(&mut app, Control::SendTo(SendTo::Other));
        let sent = Intervention { kind: InterventionKind::EnrichSoil, strength: 0.5, duration: 60, on: Selection::All };
        app.world_mut().write_message(Intervene(sent));
        control(&mut app, Control::PauseAt(Some(300)));
        run_for(&mut app, 200);
        let bits = |app: &App| twin(app).sim.forest.metrics.bits().collect::<Vec<_>>();
        let main_tick = app.world().resource::<Sim>().forest.tick;
        let at_300 = bits(&app);
        control(&mut app, Control::Play(true));
        run_to(&mut app, 330);
        control(&mut app, Control::PreviousChapter);
        assert_eq!(app.world().resource::<Sim>().forest.tick, 300, "back to the chapter at 300");
        app.update();
        assert_eq!(twin(&app).road, Road::Branch { at }, "after the branch: still there");
        assert_eq!(twin(&app).sim.session.len(), 1, "with what was sent to it");
        assert_eq!(main_tick, 300);
        assert_eq!(bits(&app), at_300, "the same branch, replayed");
        control(&mut app, Control::PreviousChapter);
        assert_eq!(app.world().resource::<Sim>().forest.tick, 150);
        app.update();
        assert!(twins(&app).is_empty(), "back before the branch: it is gone");
        assert!(app.world().resource::<Sim>().branch_plan.is_none());
    }

    #[test]
    fn a_scripted_branch_forks_by_itself_and_a_saved_session_replays_both_roads() {
        let scene = r#"Scene(
    name: "two roads",
    teams: [
        (name: "lead", x: 0.5, size: 4),
        (name: "north", x: 0.2, size: 6, reports_to: "lead"),
        (name: "south", x: 0.8, size: 6, reports_to: "lead"),
    ],
    links: [(a: "north", b: "south", delay: 2)],
    environment: [Shock(tick: 70, kind: Drought, strength: 0.5, duration: 30)],
    timelines: {
        "command": [
            Intervene(tick: 5, kind: Mandate, strength: 0.4, duration: 300),
            Branch(tick: 30, label: "tend the soil", entries: [
                Intervene(tick: 30, kind: EnrichSoil, strength: 0.4, duration: 200),
            ]),
        ],
    },
    default_timeline: "command",
)"#;
        let path = temp_path("two-roads.ron");
        std::fs::write(&path, scene).unwrap();
        let loaded = LoadedScene::from_path(&path).unwrap();
        let mut app = two_forest_app(Sim::new(loaded, Some(path.clone()), None, None).unwrap());
        run_to(&mut app, 29);
        assert!(twins(&app).is_empty());
        run_to(&mut app, 32);
        app.update();
        assert_eq!(twin(&app).road, Road::Branch { at: 30 });
        assert_eq!(twin(&app).timeline(), "tend the soil");
        control(&mut app, Control::SendTo(SendTo::Other));
        let sent =
            Intervention { kind: InterventionKind::OpenFeedback, strength: 0.3, duration: 40, on: Selection::All };
        app.world_mut().write_message(Intervene(sent));
        run_to(&mut app, 60);
        control(&mut app, Control::SendTo(SendTo::Main));
        let mine = Intervention { kind: InterventionKind::PushHarder, strength: 0.3, duration: 40, on: Selection::All };
        app.world_mut().write_message(Intervene(mine));
        control(&mut app, Control::PauseAt(Some(120)));
        run_for(&mut app, 100);
        let saved = temp_path("two-roads-session.ron");
        control(&mut app, Control::SaveSession(saved.clone()));
        let tick = app.world().resource::<Sim>().forest.tick;
        assert_eq!(tick, 120);
        let bits = |s: &Sim| s.forest.metrics.bits().collect::<Vec<_>>();
        let (main_then, other_then) = (bits(app.world().resource::<Sim>()), bits(&twin(&app).sim));
        assert_ne!(main_then, other_then);

        let replay = LoadedScene::from_path(&saved).unwrap_or_else(|e| panic!("{e}"));
        let mut again = two_forest_app(Sim::new(replay, None, None, None).unwrap());
        control(&mut again, Control::PauseAt(Some(tick)));
        run_for(&mut again, 160);
        assert_eq!(bits(again.world().resource::<Sim>()), main_then, "the main road replays exactly");
        assert_eq!(bits(&twin(&again).sim), other_then, "and so does the branch");
    }
}

mod predicting {
    use super::*;
    use understory::app::predict::{self, Answer, Phase, Predict, Prediction};

    #[test]
    fn the_card_counts_hands_runs_to_the_horizon_and_keeps_the_outcome() {
        let mut app = two_forest_app(shipped("small-stable", "command"));
        app.add_plugins(predict::plugin);
        let debrief = temp_path("predictions.csv");
        app.world_mut().resource_mut::<Prediction>().debrief = debrief.clone();
        // Without a second forest there is nothing to compare: an error, no card.
        app.world_mut().write_message(Predict::Ask { metric: Some("trust".into()), horizon: 60 });
        app.update();
        app.update();
        assert!(app.world().resource::<Prediction>().card.is_none());
        assert!(app.world().resource::<Sim>().error.is_some());
        run_to(&mut app, 30);
        app.world_mut().write_message(Control::Branch(Some("stewardship".into())));
        app.update();
        app.world_mut().write_message(Predict::Ask { metric: Some("trust".into()), horizon: 60 });
        app.update();
        let asked = app.world().resource::<Prediction>().card.clone().expect("a card");
        assert_eq!(asked.phase, Phase::Asking);
        assert!(asked.question().contains("In 60 ticks"), "{}", asked.question());
        // The forests wait while the room answers.
        run_for(&mut app, 10);
        assert_eq!(app.world().resource::<Sim>().forest.tick, asked.asked_at);
        for answer in [Answer::Left, Answer::Left, Answer::Right, Answer::Same, Answer::Left] {
            app.world_mut().write_message(Predict::Vote(answer));
        }
        app.update();
        assert_eq!(app.world().resource::<Prediction>().card.as_ref().unwrap().counts, [3, 1, 1]);
        app.world_mut().write_message(Predict::Reveal);
        run_for(&mut app, 120);
        let prediction = app.world().resource::<Prediction>();
        let card = prediction.card.as_ref().unwrap();
        let Phase::Revealed { left, right, answer } = card.phase else { panic!("revealed: {:?}", card.phase) };
        assert_eq!(answer, predict::outcome(left, right));
        assert_eq!(card.counts, [3, 1, 1], "votes after the reveal do not count");
        assert_eq!(app.world().resource::<Sim>().forest.tick, asked.due(), "paused at the horizon");
        let csv = std::fs::read_to_string(&debrief).expect("kept for the debrief");
        assert!(csv.lines().nth(1).unwrap().contains(",3,1,1,"), "{csv}");
        // Saved with the session.
        let session = temp_path("predicted-session.ron");
        app.world_mut().write_message(Control::SaveSession(session.clone()));
        app.update();
        assert!(predict::session_csv(&session).exists());
    }
}

mod story_branch {
    use super::*;
    use understory::app::compare::Compare;
    use understory::app::{Road, Twin};

    fn beside(app: &App) -> Vec<Road> {
        twins(app).iter().map(|t: &&Twin| t.road).collect()
    }

    #[test]
    fn the_story_forks_at_its_branch_chapter() {
        let mut app = unattended_story();
        run_to(&mut app, 419);
        assert!(beside(&app).is_empty());
        run_to(&mut app, 430);
        app.update();
        assert_eq!(beside(&app), [Road::Branch { at: 420 }]);
    }

    #[test]
    fn a_comparison_asked_for_is_not_pushed_aside_by_the_storys_branch() {
        let mut app = unattended_story();
        app.world_mut().write_message(Compare(Some("hands-off".into())));
        app.update();
        app.update();
        run_to(&mut app, 500);
        app.update();
        assert_eq!(beside(&app), [Road::Compare], "still the forest left alone");
    }
}

#[test]
fn a_file_dropped_on_the_window_opens_and_an_org_chart_is_imported() {
    let mut app = default_app();
    app.add_message::<bevy::window::FileDragAndDrop>()
        .add_plugins(understory::app::files::plugin)
        .init_resource::<bevy_egui::input::EguiWantsInput>()
        .init_resource::<ButtonInput<KeyCode>>();
    app.world_mut().write_message(bevy::window::FileDragAndDrop::DroppedFile {
        window: Entity::PLACEHOLDER,
        path_buf: PathBuf::from("scenes/examples/org-chart.csv"),
    });
    app.update();
    app.update();
    let sim = app.world().resource::<Sim>();
    assert_eq!(sim.scene_name(), "org-chart", "{:?}", sim.error);
}

mod branch_edges {
    use super::*;
    use understory::app::present::{self, Presentation};
    use understory::app::{Road, Twin};

    fn pause_at(app: &mut App, tick: u64) {
        control(app, Control::PauseAt(Some(tick)));
        run_for(app, (tick as u32).saturating_sub(app.world().resource::<Sim>().forest.tick as u32) + 5);
        assert_eq!(app.world().resource::<Sim>().forest.tick, tick);
    }

    fn beside(app: &App) -> Vec<(Road, String, u64)> {
        twins(app).iter().map(|t: &&Twin| (t.road, t.timeline().to_string(), t.sim.forest.tick)).collect()
    }

    #[test]
    fn a_branch_asked_for_at_the_storys_own_fork_is_the_one_saved() {
        let mut app = unattended_story();
        pause_at(&mut app, 420);
        control(&mut app, Control::Branch(Some("hands-off".into())));
        control(&mut app, Control::Play(true));
        pause_at(&mut app, 480);
        assert_eq!(beside(&app)[0].1, "hands-off");
        let saved = temp_path("asked-branch-session.ron");
        control(&mut app, Control::SaveSession(saved.clone()));
        let replay = LoadedScene::from_path(&saved).unwrap_or_else(|e| panic!("{e}"));
        let mut again = two_forest_app(Sim::new(replay, None, None, None).unwrap());
        again.world_mut().resource_mut::<Sim>().run_unattended(None, None);
        pause_at(&mut again, 480);
        assert_eq!(beside(&again)[0].1, "hands-off", "the road shown, not the story's own");
        let bits = |app: &App| twins(app)[0].sim.forest.metrics.bits().collect::<Vec<_>>();
        assert_eq!(bits(&again), bits(&app));
    }

    #[test]
    fn going_back_to_the_branch_tick_itself_does_not_show_the_future() {
        let mut app = unattended_story();
        pause_at(&mut app, 300);
        control(&mut app, Control::Branch(Some("hands-off".into())));
        control(&mut app, Control::Play(true));
        run_to(&mut app, 340);
        control(&mut app, Control::PreviousChapter);
        app.update();
        let main = app.world().resource::<Sim>().forest.tick;
        assert_eq!(main, 300);
        assert_eq!(beside(&app), [(Road::Branch { at: 300 }, "hands-off".into(), 300)], "both at the fork");
    }

    #[test]
    fn a_clickers_next_reveals_the_card_and_does_not_also_skip_a_chapter() {
        let mut app = unattended_story();
        app.add_plugins((present::plugin, understory::app::predict::plugin)).insert_resource(Presentation::load(None));
        app.world_mut().resource_mut::<understory::app::predict::Prediction>().debrief = temp_path("next.csv");
        run_to(&mut app, 430);
        app.update();
        app.world_mut().write_message(understory::app::predict::Predict::Ask { metric: None, horizon: 40 });
        app.update();
        let due = app.world().resource::<understory::app::predict::Prediction>().card.as_ref().unwrap().due();
        for _ in 0..2 {
            app.world_mut().resource_mut::<ButtonInput<KeyCode>>().press(KeyCode::PageDown);
            app.update();
            let mut keys = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
            keys.release(KeyCode::PageDown);
            keys.clear();
            app.update();
        }
        run_for(&mut app, 80);
        assert_eq!(app.world().resource::<Sim>().forest.tick, due, "stopped at the horizon, not at a chapter");
    }
}
