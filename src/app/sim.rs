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

use super::AppSystems;
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
    /// Pause when the model reaches this tick (`None`: no such stop).
    PauseAt(Option<u64>),
    /// Play through chapters that ask to pause (unattended screenshots and soaks).
    RunThrough(bool),
    /// The recorder takes the clock (`true`: the fixed timestep stops advancing the model) or
    /// gives it back.
    Drive(bool),
    /// While driven: advance every forest to `tick` and show model time `video_time` (a
    /// recorded frame's time, between ticks).
    DriveTo {
        tick: u64,
        video_time: f64,
    },
    /// While driven: the model time the frame shows (`None`: the latest tick).
    VideoTime(Option<f64>),
    /// Fork the forest here: a branch with the same state and random stream takes the road of
    /// the named timeline (the scene's first other timeline when `None`) from this tick on.
    Branch(Option<String>),
    /// Forget the branch asked for from the UI (it is no longer shown).
    Unbranch,
    /// Which forest the UI's interventions go to while there are two.
    SendTo(SendTo),
    /// Show an error that arose elsewhere (a comparison that cannot start).
    ShowError(String),
    /// Show a short message (a file dialog that cannot open).
    Notice(String),
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

/// The simulation's clock, the one place the app's time is kept: running at a speed, paused,
/// paused at a tick, held (the welcome window is open), or driven frame by frame by the
/// recorder. Every forest on show (the main one and a comparison or branch) steps on it. Only
/// the simulation plugin changes it; everything else asks through [`Control`] messages and
/// reads it through these methods.
#[derive(Debug, Clone, PartialEq)]
pub struct Clock {
    playing: bool,
    speed: f64,
    /// Pause when the model reaches this tick (screenshots, benchmarks).
    pause_at: Option<u64>,
    /// Play through chapters that ask to pause (screenshots run unattended to their tick).
    run_through: bool,
    /// The model is advanced by the recorder frame by frame, not by the fixed timestep.
    driven: bool,
    /// While recording: the model time the current frame shows.
    video_time: Option<f64>,
    /// No tick runs (the welcome window is open).
    held: bool,
    /// Ticks to advance while paused.
    steps_requested: u32,
}

impl Default for Clock {
    fn default() -> Self {
        Self {
            playing: true,
            speed: 1.0,
            pause_at: None,
            run_through: false,
            driven: false,
            video_time: None,
            held: false,
            steps_requested: 0,
        }
    }
}

impl Clock {
    pub fn playing(&self) -> bool {
        self.playing
    }

    /// Speed: 1 is `TICKS_PER_SECOND` ticks a second.
    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// While recording: the model time the current frame shows.
    pub fn video_time(&self) -> Option<f64> {
        self.video_time
    }

    /// Whether the clock is held (the welcome window is open): no tick runs.
    pub fn held(&self) -> bool {
        self.held
    }
}

/// The main forest the app shows, with its timeline, session and clock.
#[derive(Resource, Clone)]
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
    /// The one clock of every forest the app shows; changed only here, asked through [`Control`].
    pub clock: Clock,
    /// Interventions the user made, with the tick each was applied at.
    pub session: Vec<(u64, Intervention)>,
    /// Metrics of every tick so far (thinned far back), starting with the state before the first step.
    pub history: History,
    pub previous: Previous,
    /// Why the last scene could not be opened, while the previous one keeps running.
    pub error: Option<String>,
    /// A short message for the user (saved, reloaded, ...).
    pub notice: Option<String>,
    /// Interventions received and not yet applied.
    waiting: Vec<Intervention>,
    /// A branch asked for from the UI: where it forks and what it follows. (A timeline's own
    /// `Branch` entry is in `timeline.branch`.)
    pub branch_plan: Option<BranchPlan>,
    /// A fork made at this tick, for the clock to show beside this forest.
    pub forked: Option<Box<Sim>>,
    /// The tick of the last fork made, so that one tick forks once.
    forked_at: Option<u64>,
    /// Which forest the UI's interventions go to while there are two.
    pub send_to: SendTo,
}

/// Which forest an intervention from the UI goes to while two are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SendTo {
    #[default]
    Both,
    /// The main forest (left) alone.
    Main,
    /// The other forest (right: the comparison or the branch) alone.
    Other,
}

/// Where a branch forks from the main forest, and the road it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct BranchPlan {
    pub at: u64,
    pub label: String,
    /// What the branch follows from `at`, as scene entries (for saving the session).
    pub entries: Vec<crate::scene::Entry>,
    pub timeline: Timeline,
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
            clock: Clock::default(),
            session: Vec::new(),
            previous: Previous::default(),
            error: None,
            notice: None,
            waiting: Vec::new(),
            branch_plan: None,
            forked: None,
            forked_at: None,
            send_to: SendTo::Both,
        };
        sim.previous.capture(&sim.forest);
        sim.clock.playing = !sim.timeline.chapters().iter().any(|c| c.tick == 0 && c.pause);
        Ok(sim)
    }

    /// Starts with the recorder driving the clock (the `record` command), before the app runs.
    pub fn drive_from_start(&mut self) {
        self.clock.driven = true;
    }

    /// Starts playing unattended (screenshots, soaks), before the app runs: through chapters
    /// that pause, at `speed`, stopping at `pause_at`.
    pub fn run_unattended(&mut self, speed: Option<f64>, pause_at: Option<u64>) {
        self.clock.playing = true;
        self.clock.run_through = true;
        if let Some(speed) = speed {
            self.clock.speed = speed;
        }
        self.clock.pause_at = pause_at;
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
        self.branch_plan = None;
        self.forked = None;
        self.forked_at = None;
        self.send_to = SendTo::Both;
        self.previous.capture(&self.forest);
        Ok(())
    }

    /// One tick: the timeline's interventions due now, then the user's, then the model's step.
    pub fn tick(&mut self) {
        self.previous.capture(&self.forest);
        let now = self.forest.tick;
        // Where the roads part, the fork is taken before anything of this tick happens, as a
        // headless branched run does.
        // (`branch_tick` first: `plan` copies the branch's timeline, which a tick need not do.)
        if self.forked_at != Some(now)
            && self.branch_tick() == Some(now)
            && let Some(plan) = self.plan()
        {
            self.forked = Some(Box::new(self.fork(&plan)));
            self.forked_at = Some(now);
        }
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
        if self.clock.playing
            && !self.clock.run_through
            && self.timeline.chapters().iter().any(|c| c.pause && c.tick == self.forest.tick)
        {
            self.clock.playing = false;
        }
    }

    /// The tick this forest forks at, if it branches.
    pub fn branch_tick(&self) -> Option<u64> {
        self.branch_plan.as_ref().map(|p| p.at).or(self.timeline.branch.as_ref().map(|b| b.tick))
    }

    /// The branch this forest forks into: one asked for from the UI, else the timeline's own.
    pub fn plan(&self) -> Option<BranchPlan> {
        self.branch_plan.clone().or_else(|| {
            self.timeline.branch.as_ref().map(|b| BranchPlan {
                at: b.tick,
                label: b.label.clone(),
                entries: Vec::new(),
                timeline: (*b.timeline).clone(),
            })
        })
    }

    /// A copy of this forest now (state, random stream, history) that takes `plan`'s road:
    /// leadership ends the decisions in force and follows the plan's timeline as of now.
    fn fork(&self, plan: &BranchPlan) -> Sim {
        let mut other = self.clone();
        other.path = None;
        other.modified = None;
        other.timeline_name = Some(plan.label.clone());
        other.timeline = plan.timeline.taken_over_at(self.forest.tick);
        other.forest.end_decisions();
        other.session.clear();
        other.waiting.clear();
        other.branch_plan = None;
        other.forked = None;
        other.forked_at = None;
        other.error = None;
        other.notice = None;
        other.clock.driven = true;
        other
    }

    /// Forks here onto the road of `timeline` (the scene's first timeline other than this one
    /// when `None`).
    fn branch_here(&mut self, timeline: Option<&str>) -> Result<(), String> {
        let scene = &self.loaded.scene;
        let name = match timeline {
            Some(name) => name.to_string(),
            None => scene
                .timelines
                .keys()
                .find(|t| Some(*t) != self.timeline_name.as_ref())
                .cloned()
                .ok_or_else(|| format!("\"{}\" has no other timeline to branch onto", scene.name))?,
        };
        let Some(own) = scene.timelines.get(&name) else {
            return Err(format!("\"{}\" has no timeline \"{name}\" to branch onto", scene.name));
        };
        let at = self.forest.tick;
        let entries = crate::scene::taken_over_entries(own, at);
        let timeline = self.loaded.branch_timeline(&name, &entries);
        let plan = BranchPlan { at, label: name.clone(), entries, timeline };
        self.forked = Some(Box::new(self.fork(&plan)));
        self.forked_at = Some(at);
        self.branch_plan = Some(plan);
        self.notice = Some(format!("Branched at tick {at} onto \"{name}\""));
        Ok(())
    }

    /// Applies `iv` with the next tick, as if the user had sent it.
    pub fn queue(&mut self, iv: Intervention) {
        self.waiting.push(iv);
    }

    /// Runs ticks at once (no animation) until the model reaches `tick`.
    fn fast_forward(&mut self, tick: u64) {
        while self.forest.tick < tick {
            let playing = self.clock.playing;
            self.tick();
            self.clock.playing = playing;
        }
    }

    /// Goes back to `tick`: the scene starts again and the user's interventions before `tick`
    /// are applied again at their ticks; those after it are dropped.
    fn rewind_to(&mut self, tick: u64) -> Result<(), String> {
        let mut replay: std::collections::VecDeque<(u64, Intervention)> =
            std::mem::take(&mut self.session).into_iter().filter(|(t, _)| *t < tick).collect();
        // Going back before a branch made here removes it; to after it, forks it again on the way.
        let plan = self.branch_plan.take().filter(|p| p.at <= tick);
        let send_to = self.send_to;
        self.restart(self.seed)?;
        self.branch_plan = plan;
        self.send_to = send_to;
        while self.forest.tick < tick {
            while replay.front().is_some_and(|(t, _)| *t == self.forest.tick) {
                if let Some((_, iv)) = replay.pop_front() {
                    self.waiting.push(iv);
                }
            }
            let playing = self.clock.playing;
            self.tick();
            self.clock.playing = playing;
        }
        Ok(())
    }

    /// One press per chapter: paused at a chapter, play on through it at the pace it sets;
    /// anywhere else, jump to the next chapter (and play it if it does not pause).
    fn next_chapter(&mut self) {
        let now = self.forest.tick;
        let paused_here = self.timeline.chapters().iter().find(|c| c.tick == now && c.pause).map(|c| c.pace);
        if let (false, Some(pace)) = (self.clock.playing, paused_here) {
            self.clock.playing = true;
            self.clock.pause_at = None;
            if let Some(pace) = pace {
                self.clock.speed = pace;
            }
            return;
        }
        let next = self.timeline.chapters().iter().find(|c| c.tick > now).map(|c| (c.tick, c.pause, c.pace));
        if let Some((tick, pause, pace)) = next {
            self.fast_forward(tick);
            self.clock.pause_at = None;
            self.clock.playing = !pause;
            if let (false, Some(pace)) = (pause, pace) {
                self.clock.speed = pace;
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
            waiting: !self.clock.playing && chapters.iter().any(|c| c.tick == now && c.pause),
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
        self.clock.playing = !pause;
        Ok(())
    }

    /// Ticks to run this fixed step.
    fn ticks_due(&mut self) -> u32 {
        if self.clock.held {
            return 0;
        }
        if let Some(stop) = self.clock.pause_at
            && self.forest.tick >= stop
        {
            self.clock.playing = false;
            self.clock.steps_requested = 0;
            return 0;
        }
        if self.clock.playing { 1 } else { std::mem::take(&mut self.clock.steps_requested) }
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
                fresh.clock = Clock { video_time: None, run_through: false, steps_requested: 0, ..self.clock.clone() };
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
        let from = self.path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "the built-in default".into());
        write_scene(path, &format!("// Scene saved by Understory from {from}.\n"), &self.loaded.scene, "scene")
    }

    /// Writes the session as a scene file whose default timeline replays it, and replays the
    /// branch beside it where `other` is one.
    pub fn save_session(&self, path: &std::path::Path, other: Option<&Twin>) -> Result<(), String> {
        let mut scene = session_scene(
            &self.loaded,
            self.timeline_name.as_deref(),
            self.seed,
            &self.session,
            &self.forest.trees.name,
        );
        let mut saved: Vec<&[(u64, Intervention)]> = vec![&self.session];
        if let Some(twin) = other
            && let Road::Branch { at } = twin.road
            && let Some(plan) = self.plan().filter(|p| p.at == at)
        {
            saved.push(&twin.sim.session);
            crate::scene::with_branch(
                &mut scene,
                at,
                &plan.label,
                plan.entries,
                &twin.sim.session,
                &self.forest.trees.name,
                self.branch_plan.is_none(),
            );
        }
        // A session played past the scene's length runs, as saved, as far as it was played, so
        // that `understory run` of the file reaches every intervention in it, on either road.
        let last_sent = saved.iter().flat_map(|sent| sent.iter()).map(|(tick, _)| tick + 1).max().unwrap_or(0);
        scene.ticks = scene.ticks.max(self.forest.tick).max(last_sent);
        let header = format!(
            "// Session saved by Understory at tick {} of \"{}\" (seed {}).\n// Open it to replay: understory open {}\n",
            self.forest.tick,
            self.loaded.scene.name,
            self.seed,
            path.display()
        );
        write_scene(path, &header, &scene, "session")
    }

    /// Carries out `control`; `other` is the forest shown beside this one, if any (a saved
    /// session keeps a branch).
    fn control(&mut self, control: &Control, other: Option<&Twin>) {
        let result = match control {
            Control::Play(on) => {
                self.clock.playing = *on;
                if *on {
                    self.clock.pause_at = None;
                }
                Ok(())
            }
            Control::TogglePlay => {
                self.clock.playing = !self.clock.playing;
                self.clock.pause_at = None;
                Ok(())
            }
            Control::Step => {
                self.clock.playing = false;
                self.clock.pause_at = None;
                self.clock.steps_requested += 1;
                Ok(())
            }
            Control::Speed(s) => {
                self.clock.speed = s.clamp(SPEEDS[0], SPEEDS[SPEEDS.len() - 1]);
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
            Control::PauseAt(tick) => {
                self.clock.pause_at = *tick;
                Ok(())
            }
            Control::RunThrough(on) => {
                self.clock.run_through = *on;
                Ok(())
            }
            Control::Drive(on) => {
                self.clock.driven = *on;
                if !on {
                    self.clock.video_time = None;
                }
                Ok(())
            }
            Control::DriveTo { tick, video_time } => {
                while self.forest.tick < *tick {
                    self.tick();
                }
                self.clock.playing = true;
                self.clock.video_time = Some(*video_time);
                Ok(())
            }
            Control::VideoTime(time) => {
                self.clock.video_time = *time;
                Ok(())
            }
            Control::Branch(timeline) => self.branch_here(timeline.as_deref()),
            Control::SendTo(side) => {
                self.send_to = *side;
                Ok(())
            }
            Control::Unbranch => {
                self.branch_plan = None;
                Ok(())
            }
            Control::ShowError(e) => Err(e.clone()),
            Control::Notice(text) => {
                self.notice = Some(text.clone());
                Ok(())
            }
            Control::DismissError => {
                self.error = None;
                Ok(())
            }
            Control::Hold(on) => {
                self.clock.held = *on;
                Ok(())
            }
            Control::SaveScene(path) => self.save_scene(path).map(|()| {
                self.notice = Some(format!("Scene saved to {}", path.display()));
            }),
            Control::SaveSession(path) => self
                .save_session(path, other)
                .map(|()| self.notice = Some(format!("Session saved to {}", path.display()))),
        };
        if let Err(e) = result {
            self.error = Some(e);
        }
    }
}

/// How the forest beside the main one came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Road {
    /// Another timeline from tick 0, side by side.
    Compare,
    /// Forked from the main forest at tick `at`.
    Branch { at: u64 },
}

/// A forest beside the main one: a comparison or a branch, one entity each. Every one steps
/// on the main forest's clock, in the same system, however many there are; the UI's
/// interventions reach them as [`SendTo`] says. (The view shows the first beside the main one.)
#[derive(Component, Clone)]
pub struct Twin {
    pub sim: Sim,
    /// The metric whose difference is plotted.
    pub metric: String,
    pub road: Road,
}

impl Twin {
    /// A forest like `main`'s at tick 0, following `timeline`.
    pub fn of(main: &Sim, timeline: &str, metric: &str) -> Result<Self, String> {
        let mut sim = Sim::new(main.loaded.clone(), None, Some(timeline.to_string()), Some(main.seed))?;
        sim.clock.driven = true;
        Ok(Self { sim, metric: metric.to_string(), road: Road::Compare })
    }

    pub fn timeline(&self) -> &str {
        self.sim.timeline_name.as_deref().unwrap_or("(none)")
    }

    /// What the forest is called on screen: its timeline, and for a branch where it parted.
    pub fn label(&self) -> String {
        match self.road {
            Road::Compare => self.timeline().to_string(),
            Road::Branch { at } => format!("{} (branch from {at})", self.timeline()),
        }
    }

    /// The tick the two forests part at: 0 for a comparison.
    pub fn parted_at(&self) -> u64 {
        match self.road {
            Road::Compare => 0,
            Road::Branch { at } => at,
        }
    }

    /// Steps to `tick`, applying `replay`'s interventions at their ticks.
    fn step_to(&mut self, tick: u64, replay: &[(u64, Intervention)]) {
        let mut next = replay.iter().peekable();
        while self.sim.forest.tick < tick {
            while let Some((_, iv)) = next.next_if(|(t, _)| *t <= self.sim.forest.tick) {
                self.sim.waiting.push(iv.clone());
            }
            self.sim.tick();
        }
    }
}

/// Every forest beside the main one keeps to the main forest's clock: a fork just made becomes
/// the branch (in place of those shown beside); a comparison starts again when the main forest
/// does; a branch goes when the main forest goes back before it.
fn follow_main(mut commands: Commands, mut sim: ResMut<Sim>, mut twins: Query<(Entity, &mut Twin)>) {
    // A timeline's own branch does not push aside a comparison the user asked for; a branch
    // asked for from the UI does.
    let comparing = twins.iter().any(|(_, t)| t.road == Road::Compare);
    let fork = sim.forked.take().filter(|fork| {
        let asked = sim.branch_plan.as_ref().is_some_and(|p| p.at == fork.forest.tick);
        asked || !comparing
    });
    if let Some(fork) = fork {
        let at = fork.forest.tick;
        // A branch made again at the same tick (the main forest went back to after it) keeps
        // what was sent to it, replayed at the same ticks.
        let mut metric = "vitality".to_string();
        let mut replay = Vec::new();
        for (entity, twin) in &twins {
            metric = twin.metric.clone();
            if twin.road == (Road::Branch { at }) {
                replay = twin.sim.session.clone();
            }
            commands.entity(entity).despawn();
        }
        let mut fresh = Twin { sim: *fork, metric, road: Road::Branch { at } };
        replay.retain(|(t, _)| *t < sim.forest.tick);
        fresh.step_to(sim.forest.tick, &replay);
        fresh.sim.clock = Clock { driven: true, ..sim.clock.clone() };
        commands.spawn(fresh);
        return;
    }
    for (entity, mut twin) in &mut twins {
        if !twin.follow(&sim) {
            commands.entity(entity).despawn();
        }
    }
}

impl Twin {
    /// Brings this forest to the main one's tick on its clock, starting it again where the main
    /// forest started again. `false`: it no longer belongs beside the main forest.
    fn follow(&mut self, main: &Sim) -> bool {
        let other_forest = self.sim.seed != main.seed
            || self.sim.loaded.file != main.loaded.file
            || self.sim.loaded.scene != main.loaded.scene;
        match self.road {
            Road::Branch { at } if other_forest || main.forest.tick < at || main.branch_tick() != Some(at) => {
                return false;
            }
            // The main forest went back to the very tick the roads part at: fork again from it
            // (what was sent to the branch from then on is dropped, as the main forest's is).
            Road::Branch { at } if self.sim.forest.tick > main.forest.tick => {
                if main.forest.tick != at {
                    return false;
                }
                let Some(plan) = main.plan().filter(|p| p.at == at) else { return false };
                self.sim = main.fork(&plan);
            }
            Road::Compare if other_forest => {
                let timeline = self.timeline().to_string();
                match Twin::of(main, &timeline, &self.metric) {
                    Ok(fresh) if main.loaded.scene.timelines.contains_key(&timeline) => *self = fresh,
                    _ => return false,
                }
            }
            Road::Compare if self.sim.forest.tick > main.forest.tick => {
                let (timeline, metric, tick) = (self.timeline().to_string(), self.metric.clone(), main.forest.tick);
                let replay: Vec<_> = self.sim.session.iter().filter(|(t, _)| *t < tick).cloned().collect();
                match Twin::of(main, &timeline, &metric) {
                    Ok(fresh) => *self = fresh,
                    Err(_) => return false,
                }
                self.step_to(tick, &replay);
            }
            _ => {}
        }
        self.step_to(main.forest.tick, &[]);
        self.sim.clock = Clock { driven: true, ..main.clock.clone() };
        true
    }
}

/// Writes `scene` as RON after the comment lines of `header`, through a temporary file;
/// `what` names it in an error.
fn write_scene(path: &std::path::Path, header: &str, scene: &crate::scene::Scene, what: &str) -> Result<(), String> {
    let text = to_ron(scene).map_err(|e| format!("cannot write the {what}: {e}"))?;
    write_through_temp(path, |w| {
        use std::io::Write;
        w.write_all(header.as_bytes())?;
        w.write_all(text.as_bytes())
    })
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
            .configure_sets(
                Update,
                (AppSystems::Input, AppSystems::Record, AppSystems::Clock, AppSystems::Follow, AppSystems::Observe)
                    .chain(),
            )
            .add_systems(FixedUpdate, advance)
            .add_systems(
                Update,
                (
                    (apply_controls, follow_speed, watch_scene_file).chain().in_set(AppSystems::Clock),
                    follow_main.in_set(AppSystems::Follow),
                ),
            );
    }
}

/// Receives interventions and steps the model: one tick per fixed step while playing.
fn advance(mut sim: ResMut<Sim>, mut twins: Query<&mut Twin>, mut intervene: MessageReader<Intervene>) {
    for Intervene(iv) in intervene.read() {
        let side = if twins.is_empty() { SendTo::Main } else { sim.send_to };
        if side != SendTo::Other {
            sim.waiting.push(iv.clone());
        }
        if side != SendTo::Main {
            for mut twin in &mut twins {
                twin.sim.waiting.push(iv.clone());
            }
        }
    }
    if sim.clock.driven {
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

fn apply_controls(mut sim: ResMut<Sim>, twins: Query<&Twin>, mut controls: MessageReader<Control>) {
    // A saved session keeps the branch beside the main forest, if there is one.
    let branch = twins.iter().find(|t| matches!(t.road, Road::Branch { .. }));
    for control in controls.read() {
        sim.control(control, branch);
    }
}

/// Speed is virtual time's rate: the fixed step then runs `speed` times as often.
fn follow_speed(sim: Res<Sim>, mut time: ResMut<Time<Virtual>>) {
    if (time.relative_speed_f64() - sim.clock.speed).abs() > 1e-9 {
        time.set_relative_speed_f64(sim.clock.speed);
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
