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
    let live = &sim.history;
    assert_eq!(replay.metrics.bits().collect::<Vec<_>>(), live[0].bits().collect::<Vec<_>>());
    for expected in &live[1..] {
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
        assert!(!sim(&app).playing, "the story opens paused on its first chapter");
        assert_eq!(sim(&app).forest.tick, 0);
        let first = sim(&app).timeline.caption_at(0).expect("chapter one has a caption");
        assert!(first.starts_with("A living forest"), "{first}");

        // PageDown carries on into the story, which pauses by itself at the next chapter.
        press(&mut app, KeyCode::PageDown);
        for _ in 0..400 {
            if !sim(&app).playing {
                break;
            }
            app.update();
        }
        assert_eq!(sim(&app).forest.tick, 150, "paused for discussion at chapter two");
        assert!(sim(&app).timeline.caption_at(150).unwrap().starts_with("The light moves"));
        let at_chapter_two = *sim(&app).history.at(150).unwrap();

        // Playing again, the right arrow jumps straight to the next chapter.
        press(&mut app, KeyCode::PageDown);
        assert!(sim(&app).playing);
        press(&mut app, KeyCode::ArrowRight);
        assert_eq!(sim(&app).forest.tick, 300, "jumped to chapter three");
        assert!(!sim(&app).playing);
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
        app.world_mut().resource_mut::<Sim>().speed = 16.0;
        let waiting = sim(&app).chapter_progress().expect("a chapter follows the first");
        assert!(waiting.waiting, "paused at chapter one, waiting for Next");
        assert_eq!((waiting.next_title.as_str(), waiting.ticks_left), ("The light moves", 150));

        press(&mut app, KeyCode::PageDown);
        assert!(sim(&app).playing);
        assert_eq!(sim(&app).speed, 1.0, "the chapter's pace, not the speed set before");
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
        assert!(!sim(&app).playing, "the story did not move on");
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
        app.world_mut().resource_mut::<Sim>().playing = true;
        for _ in 0..20 {
            app.update();
        }
        assert_eq!(sim(&app).forest.tick, 0, "the forest waits while the welcome window is open");
        press(&mut app, KeyCode::PageDown);
        assert!(!shown(&app).welcome, "a clicker key closes it");
        assert!(sim(&app).playing, "and only closes it");
        run_for(&mut app, 20);
        assert!(sim(&app).forest.tick > 0, "the forest goes on");
    }
}

mod side_by_side {
    use super::*;
    use bevy_egui::input::EguiWantsInput;
    use understory::app::compare::{self, Twin};

    #[test]
    fn the_right_forest_keeps_the_clock_and_replays_its_own_timeline_exactly() {
        let loaded = LoadedScene::from_path(std::path::Path::new("scenes/small-stable.ron")).unwrap();
        let sim = Sim::new(loaded.clone(), None, Some("command".into()), None).unwrap();
        let twin = Twin::of(&sim, "stewardship", "vitality").unwrap();
        let mut app = app_with(sim);
        app.add_plugins(compare::plugin)
            .insert_resource(twin)
            .init_resource::<EguiWantsInput>()
            .init_resource::<ButtonInput<KeyCode>>();
        run_to(&mut app, 120);
        let iv = Intervention { kind: InterventionKind::Drought, strength: 0.5, duration: 30, on: Selection::All };
        app.world_mut().write_message(Intervene(iv));
        run_to(&mut app, 200);
        app.update();
        let main_tick = app.world().resource::<Sim>().forest.tick;
        let twin = app.world().resource::<Twin>();
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
