//! The running simulation inside the app: the model, its timeline and the user's session, advanced
//! on the fixed timestep and changed only through messages.
//!
//! Interventions arrive as [`Intervene`] messages holding the same `Intervention` a scene timeline
//! holds; time and scene changes arrive as [`Control`] messages. Nothing else edits the model.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use bevy::prelude::*;

use crate::io::write_through_temp;
use crate::model::{Forest, Intervention};
use crate::scene::{LoadedScene, Timeline, session_scene, to_ron};

use super::history::History;

/// Model ticks per second at speed 1×.
pub const TICKS_PER_SECOND: f64 = 10.0;
/// Speeds offered in the UI.
pub const SPEEDS: [f64; 7] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0];

/// How far the story is through its current chapter.
#[derive(Debug, Clone, PartialEq)]
pub struct ChapterProgress {
    pub next_title: String,
    pub ticks_left: u64,
    /// Share of the current chapter played, 0 to 1.
    pub done: f32,
    /// Paused for discussion at the start of a chapter, waiting for Next.
    pub waiting: bool,
}

/// Apply this intervention to the model at the current tick, as a timeline entry would.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct Intervene(pub Intervention);

/// Time, seed, timeline and scene controls.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum Control {
    Play(bool),
    TogglePlay,
    /// Advance one tick (while paused).
    Step,
    Speed(f64),
    /// Start the scene again with the current seed and timeline; the session's interventions are dropped.
    Reset,
    /// Start again with this seed.
    Seed(u64),
    /// Start again with a seed derived from the current one.
    NewSeed,
    /// Start again following this named timeline of the scene.
    Timeline(String),
    /// Open a scene file; on failure the running scene stays and the error is shown.
    Open(PathBuf),
    /// Open the built-in default scene.
    OpenDefault,
    /// Write the session (seed, timeline and the user's interventions) as a scene file.
    SaveSession(PathBuf),
    /// Write the scene on show, as loaded, to a `.ron` file (an imported org chart, say).
    SaveScene(PathBuf),
    /// Hide the last scene error.
    DismissError,
    /// Presenting: go on to the next chapter (resume if paused at one, else jump to it).
    NextChapter,
    /// Presenting: go back to the start of the previous chapter, replaying the session to there.
    PreviousChapter,
    /// Hold the clock still (`true`) or let it go on as it was (`false`), whatever playing says:
    /// while a window that needs the room's attention is open.
    Hold(bool),
}

/// What the view needs from the previous tick to interpolate toward the current one.
#[derive(Debug, Clone, Default)]
pub struct Previous {
    pub tick: u64,
    pub biomass: Vec<f64>,
    pub lean: Vec<f64>,
    pub stress: Vec<f64>,
    pub litter: Vec<f64>,
    pub nutrients: Vec<f64>,
    pub flow: Vec<f64>,
    pub patches: Vec<(f64, f64)>,
}

impl Previous {
    fn capture(&mut self, forest: &Forest) {
        let t = &forest.trees;
        self.tick = forest.tick;
        copy(&mut self.biomass, &t.biomass);
        copy(&mut self.lean, &t.lean);
        copy(&mut self.stress, &t.stress);
        copy(&mut self.litter, &t.litter);
        copy(&mut self.nutrients, &t.nutrients);
        copy(&mut self.flow, &forest.links.flow);
        self.patches.clear();
        self.patches.extend(forest.light.patches.iter().map(|p| (p.center, p.brightness)));
    }
}

fn copy(into: &mut Vec<f64>, from: &[f64]) {
    into.clear();
    into.extend_from_slice(from);
}

/// The one simulation the app shows.
#[derive(Resource)]
pub struct Sim {
    pub loaded: LoadedScene,
    /// The file the scene came from; `None` for the built-in default.
    pub path: Option<PathBuf>,
    pub modified: Option<SystemTime>,
    /// The scene timeline followed (`None`: the environment only).
    pub timeline_name: Option<String>,
    pub timeline: Timeline,
    pub forest: Forest,
    pub seed: u64,
    pub playing: bool,
    pub speed: f64,
    /// Interventions the user made, with the tick each was applied at.
    pub session: Vec<(u64, Intervention)>,
    /// Metrics of every tick so far (thinned far back), starting with the state before the first step.
    pub history: History,
    pub previous: Previous,
    /// Why the last scene could not be opened, while the previous one keeps running.
    pub error: Option<String>,
    /// A short message for the user (saved, reloaded, ...).
    pub notice: Option<String>,
    /// Ticks to advance while paused.
    pub steps_requested: u32,
    /// Pause when the model reaches this tick (screenshots, benchmarks).
    pub pause_at: Option<u64>,
    /// The model is advanced by a recorder frame by frame, not by the fixed timestep.
    pub driven: bool,
    /// Play through chapters that ask to pause (screenshots run unattended to their tick).
    pub run_through: bool,
    /// While recording: the model time the current frame shows.
    pub video_time: Option<f64>,
    /// The clock is held (the welcome window is open): no tick runs.
    pub held: bool,
    /// Interventions received and not yet applied.
    waiting: Vec<Intervention>,
}

impl Sim {
    /// Starts `loaded` with `seed` (the scene's own when `None`) following `timeline`.
    pub fn new(
        loaded: LoadedScene,
        path: Option<PathBuf>,
        timeline: Option<String>,
        seed: Option<u64>,
    ) -> Result<Self, String> {
        let seed = seed.unwrap_or(loaded.scene.seed);
        let timeline_name = timeline.or_else(|| loaded.scene.default_timeline.clone());
        let resolved = loaded.timeline(timeline_name.as_deref())?;
        let forest = loaded.forest(Some(seed)).map_err(|e| format!("{}: {e}", loaded.file))?;
        let modified = path.as_ref().and_then(|p| std::fs::metadata(p).ok()).and_then(|m| m.modified().ok());
        let mut sim = Self {
            loaded,
            path,
            modified,
            timeline_name,
            timeline: resolved,
            history: History::new(forest.metrics),
            forest,
            seed,
            playing: true,
            speed: 1.0,
            session: Vec::new(),
            previous: Previous::default(),
            error: None,
            notice: None,
            steps_requested: 0,
            pause_at: None,
            driven: false,
            run_through: false,
            video_time: None,
            held: false,
            waiting: Vec::new(),
        };
        sim.previous.capture(&sim.forest);
        sim.playing = !sim.timeline.chapters().iter().any(|c| c.tick == 0 && c.pause);
        Ok(sim)
    }

    /// Scene name for titles.
    pub fn scene_name(&self) -> &str {
        &self.loaded.scene.name
    }

    /// Where the interventions of the timeline and of the session happened, for plot markers.
    pub fn marks(&self) -> impl DoubleEndedIterator<Item = &(u64, Intervention)> {
        self.forest.issued.iter()
    }

    fn restart(&mut self, seed: u64) -> Result<(), String> {
        let timeline = self.loaded.timeline(self.timeline_name.as_deref())?;
        let forest = self.loaded.forest(Some(seed)).map_err(|e| format!("{}: {e}", self.loaded.file))?;
        self.timeline = timeline;
        self.history = History::new(forest.metrics);
        self.forest = forest;
        self.seed = seed;
        self.session.clear();
        self.waiting.clear();
        self.previous.capture(&self.forest);
        Ok(())
    }

    /// One tick: the timeline's interventions due now, then the user's, then the model's step.
    pub fn tick(&mut self) {
        self.previous.capture(&self.forest);
        let now = self.forest.tick;
        let due: Vec<Intervention> = self.timeline.interventions_at(now).cloned().collect();
        for iv in due {
            self.forest.intervene(iv);
        }
        for iv in std::mem::take(&mut self.waiting) {
            self.session.push((now, iv.clone()));
            self.forest.intervene(iv);
        }
        self.forest.step();
        self.history.push(self.forest.metrics);
        if self.playing
            && !self.run_through
            && self.timeline.chapters().iter().any(|c| c.pause && c.tick == self.forest.tick)
        {
            self.playing = false;
        }
    }

    /// Applies `iv` with the next tick, as if the user had sent it.
    pub fn queue(&mut self, iv: Intervention) {
        self.waiting.push(iv);
    }

    /// Runs ticks at once (no animation) until the model reaches `tick`.
    fn fast_forward(&mut self, tick: u64) {
        while self.forest.tick < tick {
            let playing = self.playing;
            self.tick();
            self.playing = playing;
        }
    }

    /// Goes back to `tick`: the scene starts again and the user's interventions before `tick`
    /// are applied again at their ticks; those after it are dropped.
    fn rewind_to(&mut self, tick: u64) -> Result<(), String> {
        let mut replay: std::collections::VecDeque<(u64, Intervention)> =
            std::mem::take(&mut self.session).into_iter().filter(|(t, _)| *t < tick).collect();
        self.restart(self.seed)?;
        while self.forest.tick < tick {
            while replay.front().is_some_and(|(t, _)| *t == self.forest.tick) {
                if let Some((_, iv)) = replay.pop_front() {
                    self.waiting.push(iv);
                }
            }
            let playing = self.playing;
            self.tick();
            self.playing = playing;
        }
        Ok(())
    }

    /// One press per chapter: paused at a chapter, play on through it at the pace it sets;
    /// anywhere else, jump to the next chapter (and play it if it does not pause).
    fn next_chapter(&mut self) {
        let now = self.forest.tick;
        let paused_here = self.timeline.chapters().iter().find(|c| c.tick == now && c.pause).map(|c| c.pace);
        if let (false, Some(pace)) = (self.playing, paused_here) {
            self.playing = true;
            self.pause_at = None;
            if let Some(pace) = pace {
                self.speed = pace;
            }
            return;
        }
        let next = self.timeline.chapters().iter().find(|c| c.tick > now).map(|c| (c.tick, c.pause, c.pace));
        if let Some((tick, pause, pace)) = next {
            self.fast_forward(tick);
            self.playing = !pause;
            if let (false, Some(pace)) = (pause, pace) {
                self.speed = pace;
            }
        }
    }

    /// Where the story stands between chapters: the next chapter's title, the ticks left to it
    /// and the share of the current chapter already played; `None` after the last one.
    pub fn chapter_progress(&self) -> Option<ChapterProgress> {
        let now = self.forest.tick;
        let chapters = self.timeline.chapters();
        let next = chapters.iter().position(|c| c.tick > now)?;
        let start = if next == 0 { 0 } else { chapters[next - 1].tick };
        let end = chapters[next].tick;
        Some(ChapterProgress {
            next_title: chapters[next].title.to_string(),
            ticks_left: end - now,
            done: (now - start) as f32 / (end - start).max(1) as f32,
            waiting: !self.playing && chapters.iter().any(|c| c.tick == now && c.pause),
        })
    }

    fn previous_chapter(&mut self) -> Result<(), String> {
        let now = self.forest.tick;
        let chapters: Vec<(u64, bool)> = self.timeline.chapters().iter().map(|c| (c.tick, c.pause)).collect();
        // Within a few ticks of a chapter's start counts as at it, so "back" goes to the one before.
        let current = chapters.iter().rposition(|(t, _)| *t + 3 <= now);
        let Some(k) = current else { return self.rewind_to(0) };
        let (tick, pause) = chapters[k];
        self.rewind_to(tick)?;
        self.playing = !pause;
        Ok(())
    }

    /// Ticks to run this fixed step.
    fn ticks_due(&mut self) -> u32 {
        if self.held {
            return 0;
        }
        if let Some(stop) = self.pause_at
            && self.forest.tick >= stop
        {
            self.playing = false;
            self.steps_requested = 0;
            return 0;
        }
        if self.playing { 1 } else { std::mem::take(&mut self.steps_requested) }
    }

    /// Opens a scene, or an org chart or network imported on the fly.
    fn open(&mut self, path: PathBuf) {
        match crate::import::open_any(&path) {
            Ok((loaded, summary)) => {
                self.replace(loaded, Some(path));
                if summary.is_some() && self.error.is_none() {
                    self.notice = summary;
                }
            }
            Err(errors) => {
                self.error = Some(errors);
                // A file that fails to load is still watched, so fixing it reloads it.
                if self.path.as_ref() == Some(&path) {
                    self.modified = modified_time(&path);
                }
            }
        }
    }

    fn replace(&mut self, loaded: LoadedScene, path: Option<PathBuf>) {
        let same_file = path.is_some() && path == self.path;
        let seed = if same_file { self.seed } else { loaded.scene.seed };
        let timeline =
            if same_file && self.timeline_name.as_ref().is_some_and(|t| loaded.scene.timelines.contains_key(t)) {
                self.timeline_name.clone()
            } else {
                None
            };
        let name = loaded.scene.name.clone();
        match Sim::new(loaded, path, timeline, Some(seed)) {
            Ok(mut fresh) => {
                fresh.speed = self.speed;
                fresh.playing = self.playing;
                fresh.pause_at = self.pause_at;
                fresh.driven = self.driven;
                fresh.held = self.held;
                fresh.notice =
                    Some(if same_file { format!("Reloaded \"{name}\"") } else { format!("Opened \"{name}\"") });
                *self = fresh;
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// Whether the scene on show came from a file that is not a scene (an imported org chart or
    /// network), so that saving it as a scene is worth offering.
    pub fn is_imported(&self) -> bool {
        self.path.as_deref().is_some_and(crate::import::is_importable)
    }

    /// Writes the scene on show (as loaded, before this session's interventions) as a `.ron`
    /// scene file: an imported org chart saved once, to edit or to open again without importing.
    pub fn save_scene(&self, path: &std::path::Path) -> Result<(), String> {
        let text = to_ron(&self.loaded.scene).map_err(|e| format!("cannot write the scene: {e}"))?;
        let from = self.path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "the built-in default".into());
        let header = format!("// Scene saved by Understory from {from}.\n");
        write_through_temp(path, |w| {
            use std::io::Write;
            w.write_all(header.as_bytes())?;
            w.write_all(text.as_bytes())
        })
    }

    /// Writes the session as a scene file whose default timeline replays it.
    pub fn save_session(&self, path: &std::path::Path) -> Result<(), String> {
        let scene = session_scene(
            &self.loaded,
            self.timeline_name.as_deref(),
            self.seed,
            &self.session,
            &self.forest.trees.name,
        );
        let text = to_ron(&scene).map_err(|e| format!("cannot write the session: {e}"))?;
        let header = format!(
            "// Session saved by Understory at tick {} of \"{}\" (seed {}).\n// Open it to replay: understory open {}\n",
            self.forest.tick,
            self.loaded.scene.name,
            self.seed,
            path.display()
        );
        write_through_temp(path, |w| {
            use std::io::Write;
            w.write_all(header.as_bytes())?;
            w.write_all(text.as_bytes())
        })
    }

    fn control(&mut self, control: &Control) {
        let result = match control {
            Control::Play(on) => {
                self.playing = *on;
                if *on {
                    self.pause_at = None;
                }
                Ok(())
            }
            Control::TogglePlay => {
                self.playing = !self.playing;
                self.pause_at = None;
                Ok(())
            }
            Control::Step => {
                self.playing = false;
                self.pause_at = None;
                self.steps_requested += 1;
                Ok(())
            }
            Control::Speed(s) => {
                self.speed = s.clamp(SPEEDS[0], SPEEDS[SPEEDS.len() - 1]);
                Ok(())
            }
            Control::Reset => self.restart(self.seed),
            Control::Seed(seed) => self.restart(*seed),
            Control::NewSeed => self.restart(next_seed(self.seed)),
            Control::Timeline(name) => {
                let old = self.timeline_name.replace(name.clone());
                let result = self.restart(self.seed);
                if result.is_err() {
                    self.timeline_name = old;
                }
                result
            }
            Control::Open(path) => {
                self.open(path.clone());
                Ok(())
            }
            Control::OpenDefault => {
                self.replace(LoadedScene::builtin_default(), None);
                Ok(())
            }
            Control::NextChapter => {
                self.next_chapter();
                Ok(())
            }
            Control::PreviousChapter => self.previous_chapter(),
            Control::DismissError => {
                self.error = None;
                Ok(())
            }
            Control::Hold(on) => {
                self.held = *on;
                Ok(())
            }
            Control::SaveScene(path) => self.save_scene(path).map(|()| {
                self.notice = Some(format!("Scene saved to {}", path.display()));
            }),
            Control::SaveSession(path) => {
                self.save_session(path).map(|()| self.notice = Some(format!("Session saved to {}", path.display())))
            }
        };
        if let Err(e) = result {
            self.error = Some(e);
        }
    }
}

/// The next seed after `seed`: a fixed scramble, so "new seed" is itself reproducible.
pub fn next_seed(seed: u64) -> u64 {
    // SplitMix64's finalizer.
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) % 1_000_000
}

fn modified_time(path: &std::path::Path) -> Option<SystemTime> {
    std::fs::metadata(path).ok().and_then(|m| m.modified().ok())
}

/// Runs the simulation for a scene: add it with the scene to show.
pub struct SimPlugin {
    pub sim: std::sync::Mutex<Option<Sim>>,
}

impl SimPlugin {
    pub fn new(sim: Sim) -> Self {
        Self { sim: std::sync::Mutex::new(Some(sim)) }
    }
}

impl Plugin for SimPlugin {
    fn build(&self, app: &mut App) {
        let sim = self.sim.lock().ok().and_then(|mut s| s.take());
        if let Some(sim) = sim {
            app.insert_resource(sim);
        }
        app.add_message::<Intervene>()
            .add_message::<Control>()
            .insert_resource(Time::<Fixed>::from_hz(TICKS_PER_SECOND))
            .insert_resource(ReloadTimer(Timer::new(Duration::from_millis(500), TimerMode::Repeating)))
            .add_systems(FixedUpdate, advance)
            .add_systems(Update, (apply_controls, follow_speed, watch_scene_file).chain());
    }
}

/// Receives interventions and steps the model: one tick per fixed step while playing.
fn advance(mut sim: ResMut<Sim>, mut intervene: MessageReader<Intervene>) {
    for Intervene(iv) in intervene.read() {
        sim.waiting.push(iv.clone());
    }
    if sim.driven {
        return;
    }
    let ticks = sim.ticks_due();
    if ticks == 0 {
        // Paused: hold the picture still; waiting interventions apply with the next tick.
        let sim = &mut *sim;
        sim.previous.capture(&sim.forest);
        return;
    }
    for _ in 0..ticks {
        sim.tick();
    }
}

fn apply_controls(mut sim: ResMut<Sim>, mut controls: MessageReader<Control>) {
    for control in controls.read() {
        sim.control(control);
    }
}

/// Speed is virtual time's rate: the fixed step then runs `speed` times as often.
fn follow_speed(sim: Res<Sim>, mut time: ResMut<Time<Virtual>>) {
    if (time.relative_speed_f64() - sim.speed).abs() > 1e-9 {
        time.set_relative_speed_f64(sim.speed);
    }
}

#[derive(Resource)]
struct ReloadTimer(Timer);

/// Hot reload: when the open scene file changes on disk, open it again.
fn watch_scene_file(
    mut sim: ResMut<Sim>,
    mut timer: ResMut<ReloadTimer>,
    time: Res<Time<Real>>,
    mut controls: MessageWriter<Control>,
) {
    if !timer.0.tick(time.delta()).just_finished() {
        return;
    }
    let Some(path) = sim.path.clone() else { return };
    let now = modified_time(&path);
    if now.is_some() && now != sim.modified {
        sim.modified = now;
        controls.write(Control::Open(path));
    }
}
